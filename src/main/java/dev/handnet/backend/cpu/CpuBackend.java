package dev.handnet.backend.cpu;

import dev.handnet.backend.Backend;
import dev.handnet.backend.DeviceMatrix;
import dev.handnet.backend.Indices;
import dev.handnet.backend.Matrix;
import dev.handnet.backend.Precision;
import dev.handnet.backend.Shapes;

/**
 * The pure-Java backend and the numerical reference for every other one. Matrices are Java
 * arrays; float32 GEMM is packed, SIMD and multithreaded ({@link PackedGemm}), and the
 * elementwise and row ops of a training step run on the Vector API ({@link VectorOps}). The
 * reference paths, which run without jdk.incubator.vector and for float64, are plain loops in
 * double ({@link ReferenceOps}). Two exceptions, for speed: axpy (the SGD update) has a float
 * loop for float32, and gatherRows copies rows. Each op here checks shapes and dispatches.
 */
public final class CpuBackend implements Backend {

    private final Precision precision;
    private final RowParallel parallel;
    /** The packed SIMD GEMM, or null for the plain loop. */
    private final PackedGemm packed;
    /** float32 with jdk.incubator.vector: the elementwise and row ops run in {@link VectorOps}. */
    private final boolean vector;
    private final LiveMatrices live = new LiveMatrices();

    /** float32 on all available cores. */
    public CpuBackend() {
        this(Precision.FLOAT32, Runtime.getRuntime().availableProcessors());
    }

    public CpuBackend(Precision precision, int threads) {
        this(precision, threads, Gemm32.VECTOR_API);
    }

    /** simd: use the packed Vector API GEMM ({@link PackedGemm}, needs jdk.incubator.vector) or the plain loop. */
    CpuBackend(Precision precision, int threads, boolean simd) {
        if (threads < 1) throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        if (simd && !Gemm32.VECTOR_API) throw new IllegalStateException("jdk.incubator.vector is not loaded");
        this.precision = precision;
        this.parallel = new RowParallel(threads);
        this.vector = simd && precision == Precision.FLOAT32;
        this.packed = vector ? new PackedGemm(parallel, PackedGemm.Blocking.forCaches(CacheSizes.detect())) : null;
    }

    /** The float64 backend that gradient checks run the layer code on. */
    public static CpuBackend float64() {
        return new CpuBackend(Precision.FLOAT64, 1);
    }

    @Override
    public String name() {
        return "cpu (" + parallel.threads() + " threads, " + precision.name().toLowerCase(java.util.Locale.ROOT)
                + (precision == Precision.FLOAT32 ? (packed != null ? ", simd" : ", no simd") : "") + ")";
    }

    @Override
    public Precision precision() {
        return precision;
    }

    // ---- memory ----------------------------------------------------------------------------

    @Override
    public Matrix allocate(int rows, int cols) {
        if (parallel.isClosed()) throw new IllegalStateException(name() + " is closed");
        Shapes.requireValidShape(rows, cols);
        int n = Math.multiplyExact(rows, cols);
        return live.track(precision == Precision.FLOAT32
                ? new CpuMatrix(this, live, rows, cols, new float[n], null)
                : new CpuMatrix(this, live, rows, cols, null, new double[n]));
    }

    @Override
    public Matrix upload(int rows, int cols, float[] data) {
        Shapes.requireLength(rows, cols, data.length);
        CpuMatrix m = (CpuMatrix) allocate(rows, cols);
        for (int i = 0; i < data.length; i++) m.set(i, data[i]);
        return m;
    }

    @Override
    public Matrix upload(int rows, int cols, double[] data) {
        Shapes.requireLength(rows, cols, data.length);
        CpuMatrix m = (CpuMatrix) allocate(rows, cols);
        for (int i = 0; i < data.length; i++) m.set(i, data[i]);
        return m;
    }

    @Override
    public float[] download(Matrix matrix) {
        return own(matrix).floats();
    }

    @Override
    public double[] downloadDoubles(Matrix matrix) {
        return own(matrix).doubles();
    }

    // ---- linear algebra --------------------------------------------------------------------

    @Override
    public void gemm(boolean transA, boolean transB, double alpha, Matrix a, Matrix b, double beta, Matrix c) {
        CpuMatrix ma = own(a), mb = own(b), mc = own(c);
        Shapes.requireGemm(transA, transB, a, b, c);
        int m = c.rows(), n = c.cols(), k = transA ? a.rows() : a.cols();
        if (packed != null && alpha != 0 && k > 0 && m > 0 && n > 0) {
            packed.gemm(transA, transB, (float) alpha, ma.f, mb.f, (float) beta, mc.f, m, k, n);
            return;
        }
        ReferenceOps.gemm(parallel, transA, transB, alpha, ma, mb, beta, mc, m, k, n);
    }

    @Override
    public void addRowVector(Matrix x, Matrix bias) {
        CpuMatrix mx = own(x), mb = own(bias);
        Shapes.requireRowVector("addRowVector", x, bias);
        if (vector) VectorOps.addRowVector(mx.f, mb.f, mx.f, x.rows(), x.cols());
        else ReferenceOps.addRowVector(mx, mb);
    }

    @Override
    public void columnSums(Matrix x, Matrix out) {
        CpuMatrix mx = own(x), mo = own(out);
        Shapes.requireRowVector("columnSums", x, out);
        if (vector) VectorOps.columnSums(mx.f, mo.f, x.rows(), x.cols());
        else ReferenceOps.columnSums(mx, mo);
    }

    @Override
    public void axpy(double alpha, Matrix x, Matrix y) {
        CpuMatrix mx = own(x), my = own(y);
        Shapes.requireSameShape("axpy", x, y);
        if (my.f != null) {
            // The SGD update of every parameter: the one elementwise op hot enough for a float loop.
            float a = (float) alpha;
            for (int i = 0; i < my.f.length; i++) my.f[i] += a * mx.f[i];
            return;
        }
        ReferenceOps.axpy(alpha, mx, my);
    }

    @Override
    public Indices uploadIndices(int[] indices) {
        if (parallel.isClosed()) throw new IllegalStateException(name() + " is closed");
        return new CpuIndices(this, indices);
    }

    @Override
    public void gatherRows(Matrix src, Indices indices, int from, Matrix out) {
        CpuMatrix ms = own(src), mo = own(out);
        int[] idx = Indices.owned(this, CpuIndices.class, indices).values;
        Shapes.requireGather(src, indices, from, out);
        int n = src.cols();
        parallel.forRows(out.rows(), n, (lo, hi) -> {
            for (int r = lo; r < hi; r++) {
                if (ms.f != null) System.arraycopy(ms.f, idx[from + r] * n, mo.f, r * n, n);
                else System.arraycopy(ms.d, idx[from + r] * n, mo.d, r * n, n);
            }
        });
    }

    // ---- activations -----------------------------------------------------------------------

    @Override
    public void sigmoid(Matrix z, Matrix out) {
        CpuMatrix mz = own(z), mo = own(out);
        Shapes.requireSameShape("sigmoid", z, out);
        if (vector) VectorOps.sigmoid(mz.f, mo.f, mz.f.length);
        else ReferenceOps.sigmoid(parallel, mz, mo);
    }

    @Override
    public void biasSigmoid(Matrix z, Matrix bias, Matrix out) {
        CpuMatrix mz = own(z), mb = own(bias), mo = own(out);
        Shapes.requireRowVector("biasSigmoid", z, bias);
        Shapes.requireSameShape("biasSigmoid", z, out);
        if (vector) VectorOps.biasSigmoid(mz.f, mb.f, mo.f, z.rows(), z.cols());
        else ReferenceOps.biasSigmoid(mz, mb, mo);
    }

    @Override
    public void sigmoidGradient(Matrix dA, Matrix s, Matrix dZ) {
        CpuMatrix mda = own(dA), ms = own(s), mdz = own(dZ);
        Shapes.requireSameShape("sigmoidGradient", dA, s);
        Shapes.requireSameShape("sigmoidGradient", s, dZ);
        if (vector) VectorOps.sigmoidGradient(mda.f, ms.f, mdz.f, ms.f.length);
        else ReferenceOps.sigmoidGradient(mda, ms, mdz);
    }

    @Override
    public void softmaxRows(Matrix z, Matrix out) {
        CpuMatrix mz = own(z), mo = own(out);
        Shapes.requireSameShape("softmaxRows", z, out);
        if (vector) VectorOps.softmaxRows(mz.f, mo.f, z.rows(), z.cols());
        else ReferenceOps.softmaxRows(parallel, mz, mo);
    }

    @Override
    public void logSigmoid(Matrix z, Matrix out) {
        CpuMatrix mz = own(z), mo = own(out);
        Shapes.requireSameShape("logSigmoid", z, out);
        if (vector) VectorOps.logSigmoid(mz.f, mo.f, mz.f.length);
        else ReferenceOps.logSigmoid(mz, mo);
    }

    // ---- losses: each adds into a column of a row of losses ---------------------------------------------

    @Override
    public void mseLoss(Matrix y, Matrix t, Matrix losses, int at) {
        CpuMatrix my = own(y), mt = own(t), ml = own(losses);
        Shapes.requireSameShape("mseLoss", y, t);
        Shapes.requireLossAt("mseLoss", losses, at);
        ml.set(at, ml.get(at) + ReferenceOps.mseLoss(my, mt));
    }

    @Override
    public void mseGradient(Matrix y, Matrix t, Matrix dY) {
        differenceOverRows("mseGradient", y, t, dY);
    }

    @Override
    public void crossEntropyLoss(Matrix p, Matrix t, Matrix losses, int at) {
        CpuMatrix mp = own(p), mt = own(t), ml = own(losses);
        Shapes.requireSameShape("crossEntropyLoss", p, t);
        Shapes.requireLossAt("crossEntropyLoss", losses, at);
        ml.set(at, ml.get(at) + ReferenceOps.crossEntropyLoss(mp, mt));
    }

    @Override
    public void binaryCrossEntropyLoss(Matrix p, Matrix t, Matrix losses, int at) {
        CpuMatrix mp = own(p), mt = own(t), ml = own(losses);
        Shapes.requireSameShape("binaryCrossEntropyLoss", p, t);
        Shapes.requireLossAt("binaryCrossEntropyLoss", losses, at);
        ml.set(at, ml.get(at) + ReferenceOps.binaryCrossEntropyLoss(mp, mt));
    }

    @Override
    public void softmaxCrossEntropyGradient(Matrix p, Matrix t, Matrix dZ) {
        differenceOverRows("softmaxCrossEntropyGradient", p, t, dZ);
    }

    /** On the CPU the three ops one after the other, every operand checked first: the numbers of calling them apart. */
    @Override
    public void softmaxCrossEntropy(Matrix z, Matrix t, Matrix p, Matrix dZ, Matrix losses, int at) {
        for (Matrix x : new Matrix[] {z, t, p, dZ, losses}) own(x);  // all refused before softmaxRows writes p
        Shapes.requireSameShape("softmaxCrossEntropy", z, t);
        Shapes.requireSameShape("softmaxCrossEntropy", t, p);
        Shapes.requireSameShape("softmaxCrossEntropy", p, dZ);
        Shapes.requireLossAt("softmaxCrossEntropy", losses, at);
        softmaxRows(z, p);
        crossEntropyLoss(p, t, losses, at);
        softmaxCrossEntropyGradient(p, t, dZ);
    }

    /** {@code out = (y - t) / m}, all (m, n): the gradient of both MSE (w.r.t. y) and softmax + CE (w.r.t. z). */
    private void differenceOverRows(String op, Matrix y, Matrix t, Matrix out) {
        CpuMatrix my = own(y), mt = own(t), mo = own(out);
        Shapes.requireSameShape(op, y, t);
        Shapes.requireSameShape(op, t, out);
        if (vector) VectorOps.differenceOverRows(my.f, mt.f, mo.f, y.rows(), my.f.length);
        else ReferenceOps.differenceOverRows(my, mt, mo);
    }

    // ---- metrics ---------------------------------------------------------------------------

    @Override
    public int[] argmaxRows(Matrix x) {
        return ReferenceOps.argmaxRows(own(x));
    }

    @Override
    public int countCorrect(Matrix scores, Matrix targets) {
        CpuMatrix ms = own(scores), mt = own(targets);
        Shapes.requireSameShape("countCorrect", scores, targets);
        return ReferenceOps.countCorrect(ms, mt);
    }

    private CpuMatrix own(Matrix m) {
        return DeviceMatrix.owned(this, CpuMatrix.class, m);
    }

    @Override
    public int liveMatrices() {
        return live.count();
    }

    public long liveBytes() {
        return live.bytes();
    }

    @Override
    public void close() {
        live.closeAll();
        parallel.close();
    }
}
