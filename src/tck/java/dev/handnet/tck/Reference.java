package dev.handnet.tck;

/**
 * The float64 reference every backend is checked against: each op written as the plainest
 * loop over row-major double arrays, independent of any backend code. Shapes as in
 * {@link dev.handnet.backend.Backend}: x is (m, n) unless said otherwise.
 */
public final class Reference {

    /** The clamp of the cross-entropies: log's argument is at least the smallest normal float. */
    public static final double LOG_FLOOR = Float.MIN_NORMAL;

    private Reference() {
    }

    /** op(a): (m, k)  op(b): (k, n)  ->  alpha op(a) op(b) + beta c: (m, n); beta = 0 ignores c. */
    public static double[] gemm(boolean ta, boolean tb, double alpha, double[] a, double[] b, double beta,
                                double[] c, int m, int k, int n) {
        double[] out = new double[m * n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double sum = 0;
                for (int p = 0; p < k; p++) sum += (ta ? a[p * m + i] : a[i * k + p]) * (tb ? b[j * k + p] : b[p * n + j]);
                out[i * n + j] = alpha * sum + (beta == 0 ? 0 : beta * c[i * n + j]);
            }
        }
        return out;
    }

    /** sum_p |alpha op(a)[i,p] op(b)[p,j]| + |beta c[i,j]|: the scale that bounds rounding in each output. */
    public static double[] gemmMagnitude(boolean ta, boolean tb, double alpha, double[] a, double[] b, double beta,
                                         double[] c, int m, int k, int n) {
        return gemm(ta, tb, Math.abs(alpha), abs(a), abs(b), beta == 0 ? 0 : Math.abs(beta), beta == 0 ? null : abs(c), m, k, n);
    }

    /** x: (rows, cols) row-major  ->  xᵀ: (cols, rows) row-major. */
    public static double[] transpose(double[] x, int rows, int cols) {
        double[] t = new double[x.length];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) t[c * rows + r] = x[r * cols + c];
        }
        return t;
    }

    /** x[r, :] + bias[0, :]. */
    public static double[] addRowVector(double[] x, double[] bias) {
        double[] out = new double[x.length];
        for (int i = 0; i < x.length; i++) out[i] = x[i] + bias[i % bias.length];
        return out;
    }

    public static double sigmoid(double z) {
        return 1 / (1 + Math.exp(-z));
    }

    public static double[] sigmoid(double[] z) {
        double[] out = new double[z.length];
        for (int i = 0; i < z.length; i++) out[i] = sigmoid(z[i]);
        return out;
    }

    /** log(sigmoid(z)) = min(z, 0) - log(1 + exp(-|z|)), exact for every z, infinities included. */
    public static double[] logSigmoid(double[] z) {
        double[] out = new double[z.length];
        for (int i = 0; i < z.length; i++) out[i] = Math.min(z[i], 0) - Math.log1p(Math.exp(-Math.abs(z[i])));
        return out;
    }

    /** dA * s * (1 - s). */
    public static double[] sigmoidGradient(double[] dA, double[] s) {
        double[] out = new double[s.length];
        for (int i = 0; i < s.length; i++) out[i] = dA[i] * s[i] * (1 - s[i]);
        return out;
    }

    public static double[] softmaxRows(double[] z, int m, int n) {
        double[] out = new double[m * n];
        for (int r = 0; r < m; r++) {
            double max = Double.NEGATIVE_INFINITY, sum = 0;
            for (int j = 0; j < n; j++) max = Double.isNaN(z[r * n + j]) ? Double.NaN : Math.max(max, z[r * n + j]);
            for (int j = 0; j < n; j++) sum += Math.exp(z[r * n + j] - max);
            for (int j = 0; j < n; j++) out[r * n + j] = Math.exp(z[r * n + j] - max) / sum;
        }
        return out;
    }

    /** (1 / 2m) sum (y - t)^2; 0 for m = 0. */
    public static double mseLoss(double[] y, double[] t, int m) {
        double sum = 0;
        for (int i = 0; i < y.length; i++) sum += (y[i] - t[i]) * (y[i] - t[i]);
        return m == 0 ? 0 : sum / (2.0 * m);
    }

    /** (y - t) / m: the gradient of the MSE, and of cross-entropy with respect to the logits. */
    public static double[] differenceOverM(double[] y, double[] t, int m) {
        double[] out = new double[y.length];
        for (int i = 0; i < y.length; i++) out[i] = (y[i] - t[i]) / m;
        return out;
    }

    /** -(1 / m) sum t log(max(p, FLT_MIN)); 0 for m = 0. Terms with t = 0 add nothing. */
    public static double crossEntropyLoss(double[] p, double[] t, int m) {
        double sum = 0;
        for (int i = 0; i < p.length; i++) {
            if (t[i] != 0) sum -= t[i] * clampedLog(p[i]);
        }
        return m == 0 ? 0 : sum / m;
    }

    /** -(1 / m) sum [t log(max(p, FLT_MIN)) + (1 - t) log(max(1 - p, FLT_MIN))]; 0 for m = 0. */
    public static double binaryCrossEntropyLoss(double[] p, double[] t, int m) {
        double sum = 0;
        for (int i = 0; i < p.length; i++) {
            if (t[i] != 0) sum -= t[i] * clampedLog(p[i]);
            if (t[i] != 1) sum -= (1 - t[i]) * clampedLog(1 - p[i]);
        }
        return m == 0 ? 0 : sum / m;
    }

    /** log(max(x, FLT_MIN)), NaN for NaN. */
    static double clampedLog(double x) {
        return Double.isNaN(x) ? x : Math.log(Math.max(x, LOG_FLOOR));
    }

    /** out[0, j] = sum_r x[r, j]: (1, n). */
    public static double[] columnSums(double[] x, int m, int n) {
        double[] out = new double[n];
        for (int r = 0; r < m; r++) {
            for (int j = 0; j < n; j++) out[j] += x[r * n + j];
        }
        return out;
    }

    /** y + alpha x. */
    public static double[] axpy(double alpha, double[] x, double[] y) {
        double[] out = new double[y.length];
        for (int i = 0; i < y.length; i++) out[i] = y[i] + alpha * x[i];
        return out;
    }

    /** out[i, :] = src[indices[from + i], :] for i below m. */
    public static double[] gatherRows(double[] src, int n, int[] indices, int from, int m) {
        double[] out = new double[m * n];
        for (int i = 0; i < m; i++) System.arraycopy(src, indices[from + i] * n, out, i * n, n);
        return out;
    }

    /** The index of row's largest entry, the first on ties. */
    public static int argmax(double[] x, int row, int n) {
        int best = 0;
        for (int j = 1; j < n; j++) {
            if (x[row * n + j] > x[row * n + best]) best = j;
        }
        return best;
    }

    public static int[] argmaxRows(double[] x, int m, int n) {
        int[] out = new int[m];
        for (int r = 0; r < m; r++) out[r] = argmax(x, r, n);
        return out;
    }

    /** Rows where argmax(scores) equals argmax(targets). */
    public static int countCorrect(double[] scores, double[] targets, int m, int n) {
        int correct = 0;
        for (int r = 0; r < m; r++) {
            if (argmax(scores, r, n) == argmax(targets, r, n)) correct++;
        }
        return correct;
    }

    public static double[] abs(double[] x) {
        double[] out = new double[x.length];
        for (int i = 0; i < x.length; i++) out[i] = Math.abs(x[i]);
        return out;
    }
}
