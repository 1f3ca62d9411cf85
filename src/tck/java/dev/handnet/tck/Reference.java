package dev.handnet.tck;

/**
 * The float64 reference every backend is checked against: each op written as the plainest
 * loop over row-major double arrays, independent of any backend code.
 */
public final class Reference {

    private Reference() {
    }

    /** op(a): (m, k)  op(b): (k, n)  ->  alpha op(a) op(b) + beta c: (m, n). */
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

    /** x: (rows, cols) row-major  ->  xᵀ: (cols, rows) row-major. */
    public static double[] transpose(double[] x, int rows, int cols) {
        double[] t = new double[x.length];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) t[c * rows + r] = x[r * cols + c];
        }
        return t;
    }

    /** sum_p |op(a)[i,p] op(b)[p,j]|: the scale that bounds float32 rounding in each output. */
    public static double[] gemmMagnitude(boolean ta, boolean tb, double alpha, double[] a, double[] b, int m, int k, int n) {
        double[] absA = abs(a), absB = abs(b);
        return gemm(ta, tb, Math.abs(alpha), absA, absB, 0, null, m, k, n);
    }

    public static double sigmoid(double z) {
        return 1 / (1 + Math.exp(-z));
    }

    public static double[] softmaxRows(double[] z, int m, int n) {
        double[] out = new double[m * n];
        for (int r = 0; r < m; r++) {
            double max = Double.NEGATIVE_INFINITY, sum = 0;
            for (int j = 0; j < n; j++) max = Math.max(max, z[r * n + j]);
            for (int j = 0; j < n; j++) sum += Math.exp(z[r * n + j] - max);
            for (int j = 0; j < n; j++) out[r * n + j] = Math.exp(z[r * n + j] - max) / sum;
        }
        return out;
    }

    public static double[] columnSums(double[] x, int m, int n) {
        double[] out = new double[n];
        for (int r = 0; r < m; r++) {
            for (int j = 0; j < n; j++) out[j] += x[r * n + j];
        }
        return out;
    }

    public static int argmax(double[] x, int row, int n) {
        int best = 0;
        for (int j = 1; j < n; j++) {
            if (x[row * n + j] > x[row * n + best]) best = j;
        }
        return best;
    }

    public static double[] abs(double[] x) {
        double[] out = new double[x.length];
        for (int i = 0; i < x.length; i++) out[i] = Math.abs(x[i]);
        return out;
    }
}
