package dev.handnet.backend.cpu;

import dev.handnet.backend.Backend;
import dev.handnet.backend.DeviceMatrix;
import dev.handnet.backend.Matrix;
import dev.handnet.backend.Precision;
import dev.handnet.backend.Shapes;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.DoubleBinaryOperator;

/**
 * The pure-Java backend and the numerical reference for every other one. Matrices are Java
 * arrays; float32 GEMM is packed, SIMD and multithreaded ({@link PackedGemm}), and the
 * elementwise and row ops of a training step run on the Vector API ({@link VectorOps}). The
 * reference paths, which run without jdk.incubator.vector and for float64, are plain
 * loops that read and write through {@link CpuMatrix#get}/{@link CpuMatrix#set}, arithmetic in
 * double, so the float64 variant runs the very same code at full precision. Two exceptions,
 * for speed: axpy (the SGD update) has a float loop for float32, and gatherRows copies rows.
 */
public final class CpuBackend implements Backend {

    private final Precision precision;
    private final RowParallel parallel;
    /** The packed SIMD GEMM, or null for the plain loop. */
    private final PackedGemm packed;
    /** float32 with jdk.incubator.vector: the elementwise and row ops run in {@link VectorOps}. */
    private final boolean vector;
    private final Set<CpuMatrix> live = Collections.newSetFromMap(new IdentityHashMap<>());

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
        return "cpu (" + parallel.threads() + " threads, " + precision.name().toLowerCase(Locale.ROOT)
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
        return track(precision == Precision.FLOAT32
                ? new CpuMatrix(this, rows, cols, new float[n], null)
                : new CpuMatrix(this, rows, cols, null, new double[n]));
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
        CpuMatrix m = own(matrix);
        float[] out = new float[(int) m.size()];
        for (int i = 0; i < out.length; i++) out[i] = (float) m.get(i);
        return out;
    }

    @Override
    public double[] downloadDoubles(Matrix matrix) {
        CpuMatrix m = own(matrix);
        double[] out = new double[(int) m.size()];
        for (int i = 0; i < out.length; i++) out[i] = m.get(i);
        return out;
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
        for (int i = 0; i < m * n; i++) mc.set(i, beta == 0 ? 0 : beta * mc.get(i));
        if (alpha == 0 || k == 0 || m == 0 || n == 0) return;
        if (precision == Precision.FLOAT32) {
            float[] rowA = transA ? Gemm32.transpose(ma.f, a.rows(), a.cols()) : ma.f;
            float[] rowB = transB ? Gemm32.transpose(mb.f, b.rows(), b.cols()) : mb.f;
            Gemm32.multiplyAdd(parallel, (float) alpha, rowA, rowB, mc.f, m, k, n);
        } else {
            gemm64(transA, transB, alpha, ma, mb, mc, m, k, n);
        }
    }

    /** The float64 path, a plain triple loop for gradient checks on small networks.  op(a): (m, k)  op(b): (k, n)  c: (m, n). */
    private static void gemm64(boolean transA, boolean transB, double alpha,
                               CpuMatrix a, CpuMatrix b, CpuMatrix c, int m, int k, int n) {
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double sum = 0;
                for (int p = 0; p < k; p++) {
                    double aip = transA ? a.d[p * m + i] : a.d[i * k + p];
                    double bpj = transB ? b.d[j * k + p] : b.d[p * n + j];
                    sum += aip * bpj;
                }
                c.d[i * n + j] += alpha * sum;
            }
        }
    }

    @Override
    public void addRowVector(Matrix x, Matrix bias) {
        CpuMatrix mx = own(x), mb = own(bias);
        Shapes.requireRowVector("addRowVector", x, bias);
        if (vector) {
            VectorOps.addRowVector(mx.f, mb.f, mx.f, x.rows(), x.cols());
            return;
        }
        int n = x.cols();
        for (int i = 0; i < x.size(); i++) mx.set(i, mx.get(i) + mb.get(i % n));
    }

    @Override
    public void columnSums(Matrix x, Matrix out) {
        CpuMatrix mx = own(x), mo = own(out);
        Shapes.requireRowVector("columnSums", x, out);
        if (vector) {
            VectorOps.columnSums(mx.f, mo.f, x.rows(), x.cols());
            return;
        }
        int n = x.cols();
        double[] sums = new double[n];
        for (int i = 0; i < x.size(); i++) sums[i % n] += mx.get(i);
        for (int j = 0; j < n; j++) mo.set(j, sums[j]);
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
        for (int i = 0; i < x.size(); i++) my.set(i, my.get(i) + alpha * mx.get(i));
    }

    @Override
    public void gatherRows(Matrix src, int[] indices, Matrix out) {
        CpuMatrix ms = own(src), mo = own(out);
        Shapes.requireGather(src, indices, out);
        int n = src.cols();
        parallel.forRows(indices.length, n, (from, to) -> {
            for (int r = from; r < to; r++) {
                if (ms.f != null) System.arraycopy(ms.f, indices[r] * n, mo.f, r * n, n);
                else System.arraycopy(ms.d, indices[r] * n, mo.d, r * n, n);
            }
        });
    }

    // ---- activations -----------------------------------------------------------------------

    @Override
    public void sigmoid(Matrix z, Matrix out) {
        CpuMatrix mz = own(z), mo = own(out);
        Shapes.requireSameShape("sigmoid", z, out);
        if (vector) {
            VectorOps.sigmoid(mz.f, mo.f, mz.f.length);
            return;
        }
        parallel.forRows(z.rows(), 16L * z.cols(), (from, to) -> {
            for (int i = from * z.cols(); i < to * z.cols(); i++) mo.set(i, 1 / (1 + Math.exp(-mz.get(i))));
        });
    }

    @Override
    public void biasSigmoid(Matrix z, Matrix bias, Matrix out) {
        CpuMatrix mz = own(z), mb = own(bias), mo = own(out);
        Shapes.requireRowVector("biasSigmoid", z, bias);
        Shapes.requireSameShape("biasSigmoid", z, out);
        if (vector) {
            VectorOps.biasSigmoid(mz.f, mb.f, mo.f, z.rows(), z.cols());
            return;
        }
        int n = z.cols();
        for (int i = 0; i < z.size(); i++) mo.set(i, 1 / (1 + Math.exp(-(mz.get(i) + mb.get(i % n)))));
    }

    @Override
    public void sigmoidGradient(Matrix dA, Matrix s, Matrix dZ) {
        CpuMatrix mda = own(dA), ms = own(s), mdz = own(dZ);
        Shapes.requireSameShape("sigmoidGradient", dA, s);
        Shapes.requireSameShape("sigmoidGradient", s, dZ);
        if (vector) {
            VectorOps.sigmoidGradient(mda.f, ms.f, mdz.f, ms.f.length);
            return;
        }
        for (int i = 0; i < s.size(); i++) {
            double si = ms.get(i);
            mdz.set(i, mda.get(i) * si * (1 - si));
        }
    }

    @Override
    public void softmaxRows(Matrix z, Matrix out) {
        CpuMatrix mz = own(z), mo = own(out);
        Shapes.requireSameShape("softmaxRows", z, out);
        if (vector) {
            VectorOps.softmaxRows(mz.f, mo.f, z.rows(), z.cols());
            return;
        }
        int n = z.cols();
        parallel.forRows(z.rows(), 16L * n, (from, to) -> {
            for (int r = from; r < to; r++) {
                double max = Double.NEGATIVE_INFINITY;
                for (int j = r * n; j < (r + 1) * n; j++) max = Math.max(max, mz.get(j));
                double sum = 0;
                for (int j = r * n; j < (r + 1) * n; j++) sum += Math.exp(mz.get(j) - max);
                for (int j = r * n; j < (r + 1) * n; j++) mo.set(j, Math.exp(mz.get(j) - max) / sum);
            }
        });
    }

    @Override
    public void logSigmoid(Matrix z, Matrix out) {
        CpuMatrix mz = own(z), mo = own(out);
        Shapes.requireSameShape("logSigmoid", z, out);
        if (vector) {
            VectorOps.logSigmoid(mz.f, mo.f, mz.f.length);
            return;
        }
        for (int i = 0; i < z.size(); i++) {
            double zi = mz.get(i);
            mo.set(i, zi < 0 ? zi - Math.log1p(Math.exp(zi)) : -Math.log1p(Math.exp(-zi)));
        }
    }

    // ---- losses ----------------------------------------------------------------------------

    @Override
    public double mseLoss(Matrix y, Matrix t) {
        return meanOverRows("mseLoss", y, t, (yi, ti) -> (yi - ti) * (yi - ti)) / 2;
    }

    @Override
    public void mseGradient(Matrix y, Matrix t, Matrix dY) {
        differenceOverRows("mseGradient", y, t, dY);
    }

    /** Smallest normal float32: log of it is about -87.3. */
    private static final double MIN_PROBABILITY = Float.MIN_NORMAL;

    /** {@code log(max(q, FLT_MIN))}: a probability that underflowed to 0 costs about 87.3 nats, not infinity. */
    private static double clampedLog(double q) {
        return Math.log(Math.max(q, MIN_PROBABILITY));
    }

    @Override
    public double crossEntropyLoss(Matrix p, Matrix t) {
        return meanOverRows("crossEntropyLoss", p, t, (pi, ti) -> ti == 0 ? 0 : -ti * clampedLog(pi));
    }

    @Override
    public double binaryCrossEntropyLoss(Matrix p, Matrix t) {
        return meanOverRows("binaryCrossEntropyLoss", p, t,
                (pi, ti) -> -(ti * clampedLog(pi) + (1 - ti) * clampedLog(1 - pi)));
    }

    /** {@code (1 / m) * sum loss(y, t)} over every entry, 0 for m = 0: the losses.  y, t: (m, n). */
    private double meanOverRows(String op, Matrix y, Matrix t, DoubleBinaryOperator loss) {
        CpuMatrix my = own(y), mt = own(t);
        Shapes.requireSameShape(op, y, t);
        if (y.rows() == 0) return 0;
        double sum = 0;
        for (int i = 0; i < y.size(); i++) sum += loss.applyAsDouble(my.get(i), mt.get(i));
        return sum / y.rows();
    }

    @Override
    public void softmaxCrossEntropyGradient(Matrix p, Matrix t, Matrix dZ) {
        differenceOverRows("softmaxCrossEntropyGradient", p, t, dZ);
    }

    /** {@code out = (y - t) / m}, all (m, n): the gradient of both MSE (w.r.t. y) and softmax + CE (w.r.t. z). */
    private void differenceOverRows(String op, Matrix y, Matrix t, Matrix out) {
        CpuMatrix my = own(y), mt = own(t), mo = own(out);
        Shapes.requireSameShape(op, y, t);
        Shapes.requireSameShape(op, t, out);
        if (vector) {
            VectorOps.differenceOverRows(my.f, mt.f, mo.f, y.rows(), my.f.length);
            return;
        }
        double m = y.rows();
        for (int i = 0; i < y.size(); i++) mo.set(i, (my.get(i) - mt.get(i)) / m);
    }

    // ---- metrics ---------------------------------------------------------------------------

    @Override
    public int[] argmaxRows(Matrix x) {
        CpuMatrix mx = own(x);
        int[] out = new int[x.rows()];
        for (int r = 0; r < x.rows(); r++) out[r] = argmax(mx, r);
        return out;
    }

    @Override
    public int countCorrect(Matrix scores, Matrix targets) {
        CpuMatrix ms = own(scores), mt = own(targets);
        Shapes.requireSameShape("countCorrect", scores, targets);
        int correct = 0;
        for (int r = 0; r < scores.rows(); r++) {
            if (argmax(ms, r) == argmax(mt, r)) correct++;
        }
        return correct;
    }

    /** Column of the largest entry of x[row, :] (the first on ties).  x: (m, n). */
    private static int argmax(CpuMatrix x, int row) {
        int n = x.cols();
        int best = 0;
        for (int j = 1; j < n; j++) {
            if (x.get(row * n + j) > x.get(row * n + best)) best = j;
        }
        return best;
    }

    // ---- lifetime --------------------------------------------------------------------------

    private CpuMatrix own(Matrix m) {
        return DeviceMatrix.owned(this, CpuMatrix.class, m);
    }

    private synchronized CpuMatrix track(CpuMatrix m) {
        live.add(m);
        return m;
    }

    synchronized void released(CpuMatrix m) {
        live.remove(m);
    }

    /** Matrices allocated and not yet closed. */
    public synchronized int liveMatrices() {
        return live.size();
    }

    @Override
    public void close() {
        List<CpuMatrix> open;
        synchronized (this) {
            open = List.copyOf(live);
        }
        for (CpuMatrix m : open) m.close();
        parallel.close();
    }
}
