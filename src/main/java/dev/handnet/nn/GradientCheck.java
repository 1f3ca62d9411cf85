package dev.handnet.nn;

import dev.handnet.backend.Backend;
import dev.handnet.backend.Matrix;
import dev.handnet.backend.cpu.CpuBackend;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Checks backprop against calculus. On a small random network and batch, in float64, each
 * parameter's analytic gradient is compared with central differences of the loss,
 * (L(w + h) - L(w - h)) / 2h; then the backend under test computes the same gradients in its
 * own precision and is compared with the float64 ones.
 */
public final class GradientCheck {

    /** Step for central differences: truncation error ~h^2, rounding ~1e-16/h, both ~1e-10 here. */
    static final double STEP = 1e-5;

    /** float64 backprop must match central differences this closely (errors seen: up to ~1e-7). */
    public static final double EXACT_TOLERANCE = 1e-6;

    /** A float32 backend's gradients against float64: ~1e-7 rounding per op, grown by the chain (seen: up to ~4e-5). */
    public static final double FLOAT32_TOLERANCE = 1e-3;

    /** One parameter tensor: analytic vs finite differences, and backend vs float64 analytic. */
    public record Row(String parameter, double finiteDifferenceError, double backendError) {
    }

    private GradientCheck() {
    }

    /**
     * A network of the given sizes, hidden activation and head, on a batch of m random inputs
     * with one-hot targets, all drawn from seed. Parameters and inputs are float32 values, so
     * the float64 and float32 runs start from identical numbers.
     */
    public static List<Row> run(Backend backend, int[] sizes, Activation hidden, Head head, int m, long seed) {
        Architecture arch = new Architecture(sizes, hidden, head, true);
        Random rng = new Random(seed);
        List<double[]> params = new ArrayList<>();
        for (int i = 0; i < arch.layers(); i++) {
            params.add(floatValues(rng, arch.in(i) * arch.out(i)));
            params.add(floatValues(rng, arch.out(i)));
        }
        double[] x = floatValues(rng, m * arch.inputs());
        double[] t = new double[m * arch.outputs()];
        for (int r = 0; r < m; r++) t[r * arch.outputs() + rng.nextInt(arch.outputs())] = 1;

        try (CpuBackend f64 = CpuBackend.float64();
             Mlp exact = new Mlp(f64, arch, params);
             Mlp tested = new Mlp(backend, arch, params);
             Matrix x64 = f64.upload(m, arch.inputs(), x);
             Matrix t64 = f64.upload(m, arch.outputs(), t);
             Matrix xb = backend.upload(m, arch.inputs(), x);
             Matrix tb = backend.upload(m, arch.outputs(), t)) {
            exact.forwardBackward(x64, t64);
            tested.forwardBackward(xb, tb);
            List<Parameter> ps = exact.parameters();
            List<Parameter> pb = tested.parameters();
            List<Row> rows = new ArrayList<>();
            for (int i = 0; i < ps.size(); i++) {
                double[] analytic = f64.downloadDoubles(ps.get(i).gradient());
                double[] numeric = centralDifferences(exact, ps.get(i).value(), x64, t64);
                double[] fromBackend = backend.downloadDoubles(pb.get(i).gradient());
                rows.add(new Row(ps.get(i).name(), maxRelativeError(analytic, numeric),
                        maxRelativeError(fromBackend, analytic)));
            }
            return rows;
        }
    }

    /** dL/dw for every entry of w: (any shape), on the batch x: (m, in), t: (m, out), by central differences; w is restored afterwards. */
    public static double[] centralDifferences(Mlp net, Matrix w, Matrix x, Matrix t) {
        Backend be = net.backend();
        double[] grad = new double[(int) w.size()];
        for (int k = 0; k < grad.length; k++) {
            double[] unit = new double[grad.length];
            unit[k] = 1;
            try (Matrix e = be.upload(w.rows(), w.cols(), unit)) {
                be.axpy(STEP, e, w);
                double plus = net.loss(net.forward(x), t);
                be.axpy(-2 * STEP, e, w);
                double minus = net.loss(net.forward(x), t);
                be.axpy(STEP, e, w);
                grad[k] = (plus - minus) / (2 * STEP);
            }
        }
        return grad;
    }

    /**
     * max_i |a_i - b_i| / max(|a_i|, |b_i|, floor), where floor is 1e-3 of the largest
     * magnitude in either array: entries that are ~0 are judged against the tensor's scale,
     * not divided by ~0.
     */
    public static double maxRelativeError(double[] a, double[] b) {
        double scale = 0;
        for (int i = 0; i < a.length; i++) scale = Math.max(scale, Math.max(Math.abs(a[i]), Math.abs(b[i])));
        double floor = Math.max(1e-3 * scale, Double.MIN_NORMAL);
        double worst = 0;
        for (int i = 0; i < a.length; i++) {
            double denom = Math.max(floor, Math.max(Math.abs(a[i]), Math.abs(b[i])));
            worst = Math.max(worst, Math.abs(a[i] - b[i]) / denom);
        }
        return worst;
    }

    /** n standard normal draws rounded to float32. */
    private static double[] floatValues(Random rng, int n) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) v[i] = (float) rng.nextGaussian();
        return v;
    }
}
