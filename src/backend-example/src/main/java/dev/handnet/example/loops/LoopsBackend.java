package dev.handnet.example.loops;

import dev.handnet.backend.Backend;
import dev.handnet.backend.DeviceMatrix;
import dev.handnet.backend.Indices;
import dev.handnet.backend.Matrix;
import dev.handnet.backend.Precision;
import dev.handnet.backend.Shapes;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;

/**
 * A backend in plain loops: every op the plainest loop over a row-major double[], computed in
 * double and rounded once to the backend's precision when stored. One thread, no blocking, no
 * SIMD: slow, and easy to check line by line against the formulas in {@link Backend}.
 */
public final class LoopsBackend implements Backend {

    private final Precision precision;
    private final Set<LoopsMatrix> live = Collections.newSetFromMap(new IdentityHashMap<>());

    public LoopsBackend() {
        this(Precision.FLOAT32);
    }

    public LoopsBackend(Precision precision) {
        this.precision = precision;
    }

    /** A matrix of this backend: its entries, already rounded to the precision; null once closed. */
    private final class LoopsMatrix extends DeviceMatrix {
        double[] v;

        LoopsMatrix(int rows, int cols) {
            super(LoopsBackend.this, rows, cols);
            v = new double[rows * cols];
            live.add(this);
        }

        @Override
        protected boolean isOpen() {
            return v != null;
        }

        @Override
        public void close() {
            v = null;
            live.remove(this);
        }
    }

    private static final class LoopsIndices extends Indices {
        int[] values;

        LoopsIndices(Backend owner, int[] values) {
            super(owner, values);
            this.values = values.clone();
        }

        @Override
        protected boolean isOpen() {
            return values != null;
        }

        @Override
        public void close() {
            values = null;
        }
    }

    /** m's entries, if m is an open matrix of this backend. */
    private double[] v(Matrix m) {
        return DeviceMatrix.owned(this, LoopsMatrix.class, m).v;
    }

    /** x rounded to what a matrix of this precision holds. */
    private double store(double x) {
        return precision == Precision.FLOAT32 ? (float) x : x;
    }

    @Override
    public String name() {
        return "loops (" + precision.name().toLowerCase(java.util.Locale.ROOT) + ")";
    }

    @Override
    public Precision precision() {
        return precision;
    }

    @Override
    public int liveMatrices() {
        return live.size();
    }

    // ---- memory ----------------------------------------------------------------------------

    @Override
    public Matrix allocate(int rows, int cols) {
        Shapes.requireValidShape(rows, cols);
        return new LoopsMatrix(rows, cols);
    }

    @Override
    public Matrix upload(int rows, int cols, float[] data) {
        Shapes.requireValidShape(rows, cols);
        Shapes.requireLength(rows, cols, data.length);
        LoopsMatrix m = new LoopsMatrix(rows, cols);
        for (int i = 0; i < data.length; i++) m.v[i] = data[i];
        return m;
    }

    @Override
    public Matrix upload(int rows, int cols, double[] data) {
        Shapes.requireValidShape(rows, cols);
        Shapes.requireLength(rows, cols, data.length);
        LoopsMatrix m = new LoopsMatrix(rows, cols);
        for (int i = 0; i < data.length; i++) m.v[i] = store(data[i]);
        return m;
    }

    @Override
    public float[] download(Matrix m) {
        double[] x = v(m);
        float[] out = new float[x.length];
        for (int i = 0; i < x.length; i++) out[i] = (float) x[i];
        return out;
    }

    @Override
    public double[] downloadDoubles(Matrix m) {
        return v(m).clone();
    }

    // ---- linear algebra ----------------------------------------------------------------------

    /** c = alpha op(a) op(b) + beta c.  op(a): (m, k)  op(b): (k, n)  c: (m, n). */
    @Override
    public void gemm(boolean transA, boolean transB, double alpha, Matrix a, Matrix b, double beta, Matrix c) {
        double[] x = v(a), y = v(b), z = v(c);
        Shapes.requireGemm(transA, transB, a, b, c);
        int m = c.rows(), n = c.cols(), k = transA ? a.rows() : a.cols();
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double sum = 0;
                for (int p = 0; p < k; p++) {
                    sum += (transA ? x[p * m + i] : x[i * k + p]) * (transB ? y[j * k + p] : y[p * n + j]);
                }
                z[i * n + j] = store(alpha * sum + (beta == 0 ? 0 : beta * z[i * n + j]));
            }
        }
    }

    /** x[r, :] += bias[0, :].  x: (m, n)  bias: (1, n). */
    @Override
    public void addRowVector(Matrix x, Matrix bias) {
        double[] xs = v(x), b = v(bias);
        Shapes.requireRowVector("addRowVector", x, bias);
        for (int i = 0; i < xs.length; i++) xs[i] = store(xs[i] + b[i % b.length]);
    }

    @Override
    public void columnSums(Matrix x, Matrix out) {
        double[] xs = v(x), o = v(out);
        Shapes.requireRowVector("columnSums", x, out);
        int n = x.cols();
        double[] sums = new double[n];
        for (int i = 0; i < xs.length; i++) sums[i % n] += xs[i];
        for (int j = 0; j < n; j++) o[j] = store(sums[j]);
    }

    @Override
    public void axpy(double alpha, Matrix x, Matrix y) {
        double[] xs = v(x), ys = v(y);
        Shapes.requireSameShape("axpy", x, y);
        for (int i = 0; i < ys.length; i++) ys[i] = store(ys[i] + alpha * xs[i]);
    }

    // ---- activations ---------------------------------------------------------------------------

    /** 1 / (1 + exp(-z)), written so neither branch overflows: NaN stays NaN. */
    private static double sigmoid(double z) {
        return z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
    }

    @Override
    public void sigmoid(Matrix z, Matrix out) {
        double[] zs = v(z), o = v(out);
        Shapes.requireSameShape("sigmoid", z, out);
        for (int i = 0; i < o.length; i++) o[i] = store(sigmoid(zs[i]));
    }

    @Override
    public void biasSigmoid(Matrix z, Matrix bias, Matrix out) {
        double[] zs = v(z), b = v(bias), o = v(out);
        Shapes.requireRowVector("biasSigmoid", z, bias);
        Shapes.requireSameShape("biasSigmoid", z, out);
        for (int i = 0; i < o.length; i++) o[i] = store(sigmoid(zs[i] + b[i % b.length]));
    }

    /** dZ = dA s (1 - s). */
    @Override
    public void sigmoidGradient(Matrix dA, Matrix s, Matrix dZ) {
        double[] a = v(dA), ss = v(s), d = v(dZ);
        Shapes.requireSameShape("sigmoidGradient", dA, s);
        Shapes.requireSameShape("sigmoidGradient", dA, dZ);
        for (int i = 0; i < d.length; i++) d[i] = store(a[i] * ss[i] * (1 - ss[i]));
    }

    /** log(sigmoid(z)) = min(z, 0) - log(1 + exp(-|z|)): exact for every z. */
    @Override
    public void logSigmoid(Matrix z, Matrix out) {
        double[] zs = v(z), o = v(out);
        Shapes.requireSameShape("logSigmoid", z, out);
        for (int i = 0; i < o.length; i++) o[i] = store(Math.min(zs[i], 0) - Math.log1p(Math.exp(-Math.abs(zs[i]))));
    }

    @Override
    public void softmaxRows(Matrix z, Matrix out) {
        double[] zs = v(z), o = v(out);
        Shapes.requireSameShape("softmaxRows", z, out);
        int n = z.cols();
        for (int r = 0; r < z.rows(); r++) {
            double[] p = softmax(zs, r * n, n);
            for (int j = 0; j < n; j++) o[r * n + j] = store(p[j]);
        }
    }

    /** softmax of z[from .. from + n) in double: exp(z - max) / sum, so no logit overflows. */
    private static double[] softmax(double[] z, int from, int n) {
        double max = Double.NEGATIVE_INFINITY, sum = 0;
        for (int j = 0; j < n; j++) max = Math.max(max, z[from + j]);
        double[] p = new double[n];
        for (int j = 0; j < n; j++) sum += p[j] = Math.exp(z[from + j] - max);
        for (int j = 0; j < n; j++) p[j] /= sum;
        return p;
    }

    // ---- losses --------------------------------------------------------------------------------

    /** log(max(x, FLT_MIN)): a probability that underflowed costs 87 nats, not infinity; NaN stays NaN. */
    private static double clampedLog(double x) {
        return Math.log(Math.max(x, Float.MIN_NORMAL));
    }

    /** losses[0, at] += sum / m (0 for m = 0). */
    private void addLoss(String op, Matrix losses, int at, double sum, int m) {
        double[] l = v(losses);
        Shapes.requireLossAt(op, losses, at);
        l[at] = store(l[at] + (m == 0 ? 0 : sum / m));
    }

    @Override
    public void mseLoss(Matrix y, Matrix t, Matrix losses, int at) {
        double[] ys = v(y), ts = v(t);
        Shapes.requireSameShape("mseLoss", y, t);
        double sum = 0;
        for (int i = 0; i < ys.length; i++) sum += (ys[i] - ts[i]) * (ys[i] - ts[i]) / 2;
        addLoss("mseLoss", losses, at, sum, y.rows());
    }

    @Override
    public void crossEntropyLoss(Matrix p, Matrix t, Matrix losses, int at) {
        double[] ps = v(p), ts = v(t);
        Shapes.requireSameShape("crossEntropyLoss", p, t);
        double sum = 0;
        for (int i = 0; i < ps.length; i++) {
            if (ts[i] != 0) sum -= ts[i] * clampedLog(ps[i]);
        }
        addLoss("crossEntropyLoss", losses, at, sum, p.rows());
    }

    @Override
    public void binaryCrossEntropyLoss(Matrix p, Matrix t, Matrix losses, int at) {
        double[] ps = v(p), ts = v(t);
        Shapes.requireSameShape("binaryCrossEntropyLoss", p, t);
        double sum = 0;
        for (int i = 0; i < ps.length; i++) {
            if (ts[i] != 0) sum -= ts[i] * clampedLog(ps[i]);
            if (ts[i] != 1) sum -= (1 - ts[i]) * clampedLog(1 - ps[i]);
        }
        addLoss("binaryCrossEntropyLoss", losses, at, sum, p.rows());
    }

    /** out = (y - t) / m: the MSE's gradient, and cross-entropy's with respect to softmax's logits. */
    private void differenceOverM(String op, Matrix y, Matrix t, Matrix out) {
        double[] ys = v(y), ts = v(t), o = v(out);
        Shapes.requireSameShape(op, y, t);
        Shapes.requireSameShape(op, y, out);
        for (int i = 0; i < o.length; i++) o[i] = store((ys[i] - ts[i]) / y.rows());
    }

    @Override
    public void mseGradient(Matrix y, Matrix t, Matrix dY) {
        differenceOverM("mseGradient", y, t, dY);
    }

    @Override
    public void softmaxCrossEntropyGradient(Matrix p, Matrix t, Matrix dZ) {
        differenceOverM("softmaxCrossEntropyGradient", p, t, dZ);
    }

    /** p = softmax(z); losses[0, at] += CE(p, t); dZ = (p - t) / m. p may be z. */
    @Override
    public void softmaxCrossEntropy(Matrix z, Matrix t, Matrix p, Matrix dZ, Matrix losses, int at) {
        double[] zs = v(z), ts = v(t), ps = v(p), d = v(dZ);
        v(losses);   // its owner and state checked before any work; addLoss writes it
        for (Matrix x : new Matrix[] {t, p, dZ}) Shapes.requireSameShape("softmaxCrossEntropy", z, x);
        Shapes.requireLossAt("softmaxCrossEntropy", losses, at);
        int m = z.rows(), n = z.cols();
        double sum = 0;
        for (int r = 0; r < m; r++) {
            double[] row = softmax(zs, r * n, n);
            for (int j = 0; j < n; j++) {
                int i = r * n + j;
                if (ts[i] != 0) sum -= ts[i] * clampedLog(row[j]);
                ps[i] = store(row[j]);
                d[i] = store((row[j] - ts[i]) / m);
            }
        }
        addLoss("softmaxCrossEntropy", losses, at, sum, m);
    }

    // ---- gather and metrics ----------------------------------------------------------------------

    @Override
    public Indices uploadIndices(int[] indices) {
        return new LoopsIndices(this, indices);
    }

    /** out[i, :] = src[indices[from + i], :]. */
    @Override
    public void gatherRows(Matrix src, Indices indices, int from, Matrix out) {
        double[] s = v(src), o = v(out);
        int[] idx = Indices.owned(this, LoopsIndices.class, indices).values;
        Shapes.requireGather(src, indices, from, out);
        int n = src.cols();
        for (int i = 0; i < out.rows(); i++) System.arraycopy(s, idx[from + i] * n, o, i * n, n);
    }

    /** The first largest entry of row r. */
    private static int argmax(double[] x, int r, int n) {
        int best = 0;
        for (int j = 1; j < n; j++) {
            if (x[r * n + j] > x[r * n + best]) best = j;
        }
        return best;
    }

    @Override
    public int[] argmaxRows(Matrix x) {
        double[] xs = v(x);
        int[] out = new int[x.rows()];
        for (int r = 0; r < out.length; r++) out[r] = argmax(xs, r, x.cols());
        return out;
    }

    @Override
    public int countCorrect(Matrix scores, Matrix targets) {
        double[] s = v(scores), t = v(targets);
        Shapes.requireSameShape("countCorrect", scores, targets);
        int correct = 0;
        for (int r = 0; r < scores.rows(); r++) {
            if (argmax(s, r, scores.cols()) == argmax(t, r, scores.cols())) correct++;
        }
        return correct;
    }

    /** Closes every matrix this backend made. */
    @Override
    public void close() {
        for (LoopsMatrix m : new ArrayList<>(live)) m.close();
    }
}
