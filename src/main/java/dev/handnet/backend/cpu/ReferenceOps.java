package dev.handnet.backend.cpu;

import java.util.function.DoubleBinaryOperator;

/**
 * The reference paths of {@link CpuBackend}'s ops, which run without jdk.incubator.vector and
 * for float64: plain loops that read and write through {@link CpuMatrix#get}/{@link CpuMatrix#set},
 * arithmetic in double, so the float64 variant runs the very same code at full precision. The
 * losses and metrics always run here. Shapes are checked by CpuBackend before these run.
 * Shapes: y, t, z, out: (m, n); bias, sums: (1, n).
 */
final class ReferenceOps {

    private ReferenceOps() {
    }

    // ---- linear algebra --------------------------------------------------------------------

    /**
     * c = alpha * op(a) * op(b) + beta * c without the packed GEMM: float32 through {@link Gemm32},
     * float64 through a plain triple loop.  op(a): (m, k)  op(b): (k, n)  c: (m, n).
     */
    static void gemm(RowParallel parallel, boolean transA, boolean transB, double alpha,
                     CpuMatrix a, CpuMatrix b, double beta, CpuMatrix c, int m, int k, int n) {
        for (int i = 0; i < m * n; i++) c.set(i, beta == 0 ? 0 : beta * c.get(i));
        if (alpha == 0 || k == 0 || m == 0 || n == 0) return;
        if (c.f != null) {
            float[] rowA = transA ? Gemm32.transpose(a.f, a.rows(), a.cols()) : a.f;
            float[] rowB = transB ? Gemm32.transpose(b.f, b.rows(), b.cols()) : b.f;
            Gemm32.multiplyAdd(parallel, (float) alpha, rowA, rowB, c.f, m, k, n);
        } else {
            gemm64(transA, transB, alpha, a, b, c, m, k, n);
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

    /** x[r, :] += bias[0, :]. */
    static void addRowVector(CpuMatrix x, CpuMatrix bias) {
        int n = x.cols();
        for (int i = 0; i < x.size(); i++) x.set(i, x.get(i) + bias.get(i % n));
    }

    /** sums[0, j] = sum over r of x[r, j], added up in double. */
    static void columnSums(CpuMatrix x, CpuMatrix sums) {
        int n = x.cols();
        double[] acc = new double[n];
        for (int i = 0; i < x.size(); i++) acc[i % n] += x.get(i);
        for (int j = 0; j < n; j++) sums.set(j, acc[j]);
    }

    /** y += alpha * x. */
    static void axpy(double alpha, CpuMatrix x, CpuMatrix y) {
        for (int i = 0; i < x.size(); i++) y.set(i, y.get(i) + alpha * x.get(i));
    }

    // ---- activations -----------------------------------------------------------------------

    /** out = 1 / (1 + exp(-z)), rows in parallel. */
    static void sigmoid(RowParallel parallel, CpuMatrix z, CpuMatrix out) {
        parallel.forRows(z.rows(), 16L * z.cols(), (from, to) -> {
            for (int i = from * z.cols(); i < to * z.cols(); i++) out.set(i, 1 / (1 + Math.exp(-z.get(i))));
        });
    }

    /** out = sigmoid(z + bias[0, :]). */
    static void biasSigmoid(CpuMatrix z, CpuMatrix bias, CpuMatrix out) {
        int n = z.cols();
        for (int i = 0; i < z.size(); i++) out.set(i, 1 / (1 + Math.exp(-(z.get(i) + bias.get(i % n)))));
    }

    /** dZ = dA * s * (1 - s), s the sigmoid's output. */
    static void sigmoidGradient(CpuMatrix dA, CpuMatrix s, CpuMatrix dZ) {
        for (int i = 0; i < s.size(); i++) {
            double si = s.get(i);
            dZ.set(i, dA.get(i) * si * (1 - si));
        }
    }

    /** out[r, :] = softmax(z[r, :]), the row's max subtracted first; rows in parallel. */
    static void softmaxRows(RowParallel parallel, CpuMatrix z, CpuMatrix out) {
        int n = z.cols();
        parallel.forRows(z.rows(), 16L * n, (from, to) -> {
            for (int r = from; r < to; r++) {
                double max = Double.NEGATIVE_INFINITY;
                for (int j = r * n; j < (r + 1) * n; j++) max = Math.max(max, z.get(j));
                double sum = 0;
                for (int j = r * n; j < (r + 1) * n; j++) sum += Math.exp(z.get(j) - max);
                for (int j = r * n; j < (r + 1) * n; j++) out.set(j, Math.exp(z.get(j) - max) / sum);
            }
        });
    }

    /** out = log(sigmoid(z)), without overflow for large |z|. */
    static void logSigmoid(CpuMatrix z, CpuMatrix out) {
        for (int i = 0; i < z.size(); i++) {
            double zi = z.get(i);
            out.set(i, zi < 0 ? zi - Math.log1p(Math.exp(zi)) : -Math.log1p(Math.exp(-zi)));
        }
    }

    // ---- losses ----------------------------------------------------------------------------

    /** Smallest normal float32: log of it is about -87.3. */
    private static final double MIN_PROBABILITY = Float.MIN_NORMAL;

    /** {@code log(max(q, FLT_MIN))}: a probability that underflowed to 0 costs about 87.3 nats, not infinity. */
    private static double clampedLog(double q) {
        return Math.log(Math.max(q, MIN_PROBABILITY));
    }

    /** (1 / 2m) * sum (y - t)^2. */
    static double mseLoss(CpuMatrix y, CpuMatrix t) {
        return meanOverRows(y, t, (yi, ti) -> (yi - ti) * (yi - ti)) / 2;
    }

    /** -(1 / m) * sum t * log(p), with the log clamped; entries with t = 0 add nothing. */
    static double crossEntropyLoss(CpuMatrix p, CpuMatrix t) {
        return meanOverRows(p, t, (pi, ti) -> ti == 0 ? 0 : -ti * clampedLog(pi));
    }

    /** -(1 / m) * sum t * log(p) + (1 - t) * log(1 - p), with the logs clamped. */
    static double binaryCrossEntropyLoss(CpuMatrix p, CpuMatrix t) {
        return meanOverRows(p, t, (pi, ti) -> -(ti * clampedLog(pi) + (1 - ti) * clampedLog(1 - pi)));
    }

    /** {@code (1 / m) * sum loss(y, t)} over every entry, 0 for m = 0: the losses.  y, t: (m, n). */
    private static double meanOverRows(CpuMatrix y, CpuMatrix t, DoubleBinaryOperator loss) {
        if (y.rows() == 0) return 0;
        double sum = 0;
        for (int i = 0; i < y.size(); i++) sum += loss.applyAsDouble(y.get(i), t.get(i));
        return sum / y.rows();
    }

    /** {@code out = (y - t) / m}, all (m, n): the gradient of both MSE (w.r.t. y) and softmax + CE (w.r.t. z). */
    static void differenceOverRows(CpuMatrix y, CpuMatrix t, CpuMatrix out) {
        double m = y.rows();
        for (int i = 0; i < y.size(); i++) out.set(i, (y.get(i) - t.get(i)) / m);
    }

    // ---- metrics ---------------------------------------------------------------------------

    /** The argmax of each row of x.  x: (m, n). */
    static int[] argmaxRows(CpuMatrix x) {
        int[] out = new int[x.rows()];
        for (int r = 0; r < x.rows(); r++) out[r] = argmax(x, r);
        return out;
    }

    /** Rows where scores and targets have their largest entry in the same column.  scores, targets: (m, n). */
    static int countCorrect(CpuMatrix scores, CpuMatrix targets) {
        int correct = 0;
        for (int r = 0; r < scores.rows(); r++) {
            if (argmax(scores, r) == argmax(targets, r)) correct++;
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
}
