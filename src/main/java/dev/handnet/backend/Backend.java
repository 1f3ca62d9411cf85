package dev.handnet.backend;

/**
 * The ops that hand-derived training needs, over {@link Matrix} buffers that stay in the
 * backend's memory. Every op writes into a matrix the caller allocated, so a training step
 * allocates nothing; only {@link #upload}, {@link #uploadIndices}, {@link #download} and
 * the scalar results of losses and counts cross between host and device, and a training epoch
 * can run with one upload (its batch order) and one read (its batch losses).
 *
 * <p>Shapes are written {@code (rows, cols)}; "m" is the number of rows (the batch). Every op
 * checks its shapes before it does any work and throws {@link IllegalArgumentException}
 * naming the shapes that disagree.
 *
 * <p>Ownership and lifetime: an op accepts only matrices this backend made and has not closed;
 * another backend's matrix is an {@link IllegalArgumentException}, a closed one an
 * {@link IllegalStateException}. An output is overwritten whatever it held (NaN included); an
 * input is never written. {@link #upload} copies the caller's array and {@link #download} returns
 * a new one. NaN in an input gives NaN in what it reaches (no clamp hides it); infinities and
 * huge or subnormal values give what the float64 definition gives.
 *
 * <p>Aliasing: the output of an elementwise or row op (sigmoid, sigmoidGradient, logSigmoid,
 * softmaxRows, mseGradient, softmaxCrossEntropyGradient, biasSigmoid's z) may be one of its inputs; the layers
 * rely on it (softmax in place, dZ = dZ * s(1 - s)). GEMM's c must not alias a or b.
 */
public interface Backend extends AutoCloseable {

    /** A short description for people: kind, device, threads, precision. */
    String name();

    Precision precision();

    /** A new zero-filled {@code (rows, cols)} matrix. */
    Matrix allocate(int rows, int cols);

    /** A new {@code (rows, cols)} matrix holding {@code data} (row-major, length rows*cols). */
    Matrix upload(int rows, int cols, float[] data);

    /** As {@link #upload(int, int, float[])}; float32 backends round each value to float. */
    default Matrix upload(int rows, int cols, double[] data) {
        float[] rounded = new float[data.length];
        for (int i = 0; i < data.length; i++) rounded[i] = (float) data[i];
        return upload(rows, cols, rounded);
    }

    /** The matrix contents, row-major. */
    float[] download(Matrix m);

    /** The matrix contents, row-major, at the backend's full precision. */
    default double[] downloadDoubles(Matrix m) {
        float[] values = download(m);
        double[] widened = new double[values.length];
        for (int i = 0; i < values.length; i++) widened[i] = values[i];
        return widened;
    }

    /**
     * {@code c = alpha * op(a) * op(b) + beta * c}, op(x) being x or its transpose.
     * op(a): (m, k)  op(b): (k, n)  c: (m, n). With beta = 0, c's old contents are ignored.
     */
    void gemm(boolean transA, boolean transB, double alpha, Matrix a, Matrix b, double beta, Matrix c);

    /** {@code x[r, :] += bias[0, :]} for every row r.  x: (m, n)  bias: (1, n). */
    void addRowVector(Matrix x, Matrix bias);

    /** {@code out = 1 / (1 + exp(-z))}.  z, out: (m, n); out may be z. */
    void sigmoid(Matrix z, Matrix out);

    /**
     * The forward pass of a sigmoid layer after its GEMM, in one pass over z:
     * {@code out[r, :] = sigmoid(z[r, :] + bias[0, :])}. z is not written unless it is out.
     * z, out: (m, n)  bias: (1, n).
     */
    void biasSigmoid(Matrix z, Matrix bias, Matrix out);

    /** Backward of sigmoid from its output s: {@code dZ = dA * s * (1 - s)}.  all (m, n). */
    void sigmoidGradient(Matrix dA, Matrix s, Matrix dZ);

    /** {@code out[r, j] = exp(z[r, j] - max_r) / sum_j' exp(z[r, j'] - max_r)}.  (m, n). */
    void softmaxRows(Matrix z, Matrix out);

    /**
     * {@code out = log(sigmoid(z)) = -log(1 + exp(-z))}, computed without overflow or underflow
     * to -inf for large |z|.  z, out: (m, n); out may be z.
     */
    void logSigmoid(Matrix z, Matrix out);

    /**
     * {@code losses[0, at] += (1 / 2m) * sum (y - t)^2}.  y, t: (m, n)  losses: (1, k), at in [0, k);
     * adds 0 for m = 0. Losses add into a row on the backend, a column per training step, so
     * training reads an epoch's batch losses at once, not one per step.
     */
    void mseLoss(Matrix y, Matrix t, Matrix losses, int at);

    /** {@link #mseLoss(Matrix, Matrix, Matrix, int)} read back at once. */
    default double mseLoss(Matrix y, Matrix t) {
        return readLoss(losses -> mseLoss(y, t, losses, 0));
    }

    /** Gradient of {@link #mseLoss} with respect to y: {@code dY = (y - t) / m}. */
    void mseGradient(Matrix y, Matrix t, Matrix dY);

    /**
     * {@code losses[0, at] += -(1 / m) * sum t * log(p)}, with p clamped below at the smallest
     * normal float so a probability that underflowed to 0 costs about 87 nats, not infinity.
     * p, t: (m, n)  losses: (1, k), at in [0, k).
     */
    void crossEntropyLoss(Matrix p, Matrix t, Matrix losses, int at);

    /** {@link #crossEntropyLoss(Matrix, Matrix, Matrix, int)} read back at once. */
    default double crossEntropyLoss(Matrix p, Matrix t) {
        return readLoss(losses -> crossEntropyLoss(p, t, losses, 0));
    }

    /**
     * Binary cross-entropy of probabilities p against 0/1 targets t:
     * {@code losses[0, at] += -(1 / m) * sum [t * log(p) + (1 - t) * log(1 - p)]} over every entry.
     * As in {@link #crossEntropyLoss}, each log's argument, p and 1 - p, is clamped below at the
     * smallest normal float, so a probability that rounded to exactly 0 or exactly 1 costs about
     * 87 nats, not infinity, at either end. For p in [FLT_MIN, 1) the clamp changes nothing
     * (1 - p of a float or double below 1 is at least 2^-53), so the float64 backend gives the
     * plain formula. With sigmoid outputs p, the gradient with respect to the logits is
     * {@code (p - t) / m}, {@link #mseGradient}.  p, t: (m, n)  losses: (1, k), at in [0, k); adds
     * 0 for m = 0.
     */
    void binaryCrossEntropyLoss(Matrix p, Matrix t, Matrix losses, int at);

    /** {@link #binaryCrossEntropyLoss(Matrix, Matrix, Matrix, int)} read back at once. */
    default double binaryCrossEntropyLoss(Matrix p, Matrix t) {
        return readLoss(losses -> binaryCrossEntropyLoss(p, t, losses, 0));
    }

    /**
     * Gradient of cross-entropy of softmax(z) with respect to the logits z, given p =
     * softmax(z) and targets whose rows sum to 1: {@code dZ = (p - t) / m}.  (m, n).
     */
    void softmaxCrossEntropyGradient(Matrix p, Matrix t, Matrix dZ);

    /**
     * A softmax + cross-entropy head's forward, loss and backward in one pass over the rows:
     * {@code p = softmaxRows(z)}, {@code losses[0, at] += crossEntropyLoss(p, t)},
     * {@code dZ = (p - t) / m}. z, t, p, dZ: (m, n), p may be z; losses: (1, k), at in [0, k).
     */
    void softmaxCrossEntropy(Matrix z, Matrix t, Matrix p, Matrix dZ, Matrix losses, int at);

    /**
     * One loss read back at once: a fresh (1, 1) row of losses, added into at column 0 by
     * addInto (a loss op, or a training step), then downloaded. A read per call: training adds
     * an epoch's losses into one row instead and reads it once.
     */
    default double readLoss(java.util.function.Consumer<Matrix> addInto) {
        try (Matrix losses = allocate(1, 1)) {
            addInto.accept(losses);
            return downloadDoubles(losses)[0];
        }
    }

    /** {@code out[0, j] = sum_r x[r, j]}.  x: (m, n)  out: (1, n). */
    void columnSums(Matrix x, Matrix out);

    /** {@code y += alpha * x}.  x, y: same shape. */
    void axpy(double alpha, Matrix x, Matrix y);

    /** Row indices on the backend, for {@link #gatherRows(Matrix, Indices, int, Matrix)}: one upload. */
    Indices uploadIndices(int[] indices);

    /**
     * {@code out[i, :] = src[indices[from + i], :]} for i below m.  src: (r, n)  out: (m, n);
     * from + m at most indices.length(), every index in [0, r).
     */
    void gatherRows(Matrix src, Indices indices, int from, Matrix out);

    /** {@code out[i, :] = src[indices[i], :]}, the indices uploaded for this one gather. */
    default void gatherRows(Matrix src, int[] indices, Matrix out) {
        Shapes.requireGather(src, indices, out);
        try (Indices onDevice = uploadIndices(indices)) {
            gatherRows(src, onDevice, 0, out);
        }
    }

    /** Index of the largest entry of each row (the first on ties).  x: (m, n)  ->  m ints. */
    int[] argmaxRows(Matrix x);

    /** Rows where argmax(scores) equals argmax(targets).  scores, targets: (m, n). */
    int countCorrect(Matrix scores, Matrix targets);

    /**
     * Matrices allocated by this backend ({@link #allocate}, {@link #upload}, and any a default
     * method makes) and not yet closed: what leak checks count. Scratch space a backend keeps for
     * itself is not counted.
     */
    int liveMatrices();

    /** Releases everything the backend holds, matrices included. */
    @Override
    void close();
}
