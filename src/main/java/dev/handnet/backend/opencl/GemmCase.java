package dev.handnet.backend.opencl;

import dev.handnet.backend.opencl.GemmTuner.Product;

import java.util.Arrays;
import java.util.Locale;
import java.util.Random;

/**
 * One product the tuner runs: C = alpha op(A) op(B) + beta C on random operands stored as the
 * class's transposition stores them, with the float64 result a plain loop computes and the
 * scale of float rounding in each output, sum_p |alpha op(A)_ip op(B)_pj| + |beta C_ij|.
 * With beta = 0 C starts as NaN, which the kernel must not read.
 */
final class GemmCase {

    private final OpenClBackend be;
    private final GemmClass shape;
    private final Product product;
    private final double alpha, beta;
    private final ClMatrix a, b, c;
    private final double[] c0, expected, scale;

    GemmCase(OpenClBackend be, GemmClass shape, Product p, double alpha, double beta, Random random) {
        this.be = be;
        this.shape = shape;
        this.product = p;
        this.alpha = alpha;
        this.beta = beta;
        double[] opA = uniform(p.m() * p.k(), random), opB = uniform(p.k() * p.n(), random);
        c0 = beta == 0 ? nan(p.m() * p.n()) : uniform(p.m() * p.n(), random);
        a = upload(shape.transA() ? transpose(opA, p.m(), p.k()) : opA, shape.transA(), p.m(), p.k());
        b = upload(shape.transB() ? transpose(opB, p.k(), p.n()) : opB, shape.transB(), p.k(), p.n());
        c = (ClMatrix) be.upload(p.m(), p.n(), c0);
        expected = new double[p.m() * p.n()];
        scale = new double[p.m() * p.n()];
        for (int i = 0; i < p.m(); i++) {
            for (int q = 0; q < p.k(); q++) {
                double x = opA[i * p.k() + q];
                for (int j = 0; j < p.n(); j++) {
                    expected[i * p.n() + j] += x * opB[q * p.n() + j];
                    scale[i * p.n() + j] += Math.abs(x * opB[q * p.n() + j]);
                }
            }
        }
        for (int e = 0; e < expected.length; e++) {
            expected[e] = alpha * expected[e] + (beta == 0 ? 0 : beta * c0[e]);
            scale[e] = Math.abs(alpha) * scale[e] + (beta == 0 ? 0 : Math.abs(beta * c0[e]));
        }
    }

    Product product() {
        return product;
    }

    private ClMatrix upload(double[] stored, boolean transposed, int rows, int cols) {
        return (ClMatrix) (transposed ? be.upload(cols, rows, stored) : be.upload(rows, cols, stored));
    }

    /** Runs program once from C's starting values; null when every output is within tolerance * scale, else the first that is not. */
    String check(GemmProgram program, double tolerance) {
        be.runtime().writeReals(c, c0);
        run(program);
        double[] got = be.downloadDoubles(c);
        for (int e = 0; e < got.length; e++) {
            double allowed = tolerance * scale[e] + 1e-30;
            if (!(Math.abs(got[e] - expected[e]) <= allowed)) {
                return String.format(Locale.ROOT, "c[%d, %d] = %g, expected %g (allowed error %.2g)",
                        e / product.n(), e % product.n(), got[e], expected[e], allowed);
            }
        }
        return null;
    }

    /** Seconds of the fastest of reps runs, each waited for (clFinish). */
    double seconds(GemmProgram program, int reps) {
        double best = Double.MAX_VALUE;
        for (int r = 0; r < reps; r++) {
            long start = System.nanoTime();
            run(program);
            be.runtime().finish();
            best = Math.min(best, (System.nanoTime() - start) / 1e9);
        }
        return best;
    }

    private void run(GemmProgram program) {
        program.run(shape.transA(), shape.transB(), alpha, a, b, beta, c);
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%s %d x %d x %d", shape.key(), product.m(), product.k(), product.n());
    }

    /** Values in [-1, 1), each a float so every precision holds the same numbers. */
    static double[] uniform(int n, Random random) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) v[i] = (float) (2 * random.nextDouble() - 1);
        return v;
    }

    /** n NaNs: a C that a beta = 0 product must not read. */
    static double[] nan(int n) {
        double[] v = new double[n];
        Arrays.fill(v, Double.NaN);
        return v;
    }

    /** x: (rows, cols) -> xᵀ: (cols, rows), row-major. */
    private static double[] transpose(double[] x, int rows, int cols) {
        double[] t = new double[x.length];
        for (int r = 0; r < rows; r++) {
            for (int q = 0; q < cols; q++) t[q * rows + r] = x[r * cols + q];
        }
        return t;
    }
}
