package dev.handnet.backend;

import dev.handnet.backend.cpu.CpuBackend;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Runs every op on two backends with the same float32-representable inputs, on awkward shapes,
 * and compares their outputs with each other and with the float64 CPU backend. What
 * {@code handnet parity} prints; the JUnit contract suite checks the same ops against an
 * independent reference.
 */
public final class ParityCheck {

    /**
     * Allowed |a - b| relative to max(1, |float64 result|) per element: two float32 backends
     * each sit within ~1e-6 of float64 on elementwise ops and ~1e-5 on long sums (GEMM k = 784).
     */
    public static final double FLOAT32_TOLERANCE = 1e-4;

    /** As FLOAT32_TOLERANCE for two float64 backends: a few ulps (1e-16) per op, sums in another order; seen up to 1e-14. */
    public static final double FLOAT64_TOLERANCE = 1e-12;

    /** The tolerance for two backends: float64's if both are float64, else float32's. */
    public static double tolerance(Backend a, Backend b) {
        boolean float64 = a.precision() == Precision.FLOAT64 && b.precision() == Precision.FLOAT64;
        return float64 ? FLOAT64_TOLERANCE : FLOAT32_TOLERANCE;
    }

    /** One op on one shape: the largest absolute and relative differences between the two backends. */
    public record Row(String op, String shape, double maxAbs, double maxRel, double maxRelToFloat64, double tolerance) {
        public boolean pass() {
            return maxRel <= tolerance && maxRelToFloat64 <= tolerance;
        }
    }

    /** An op on inputs already on a backend; returns its outputs on the host. */
    private interface Op {
        double[] run(Backend be, Matrix[] in);
    }

    private record Case(String op, int[][] shapes, double scale, Op run) {
    }

    private ParityCheck() {
    }

    /** GEMM's (m, k, n) and the other ops' (rows, cols) that {@code handnet parity} checks. */
    private static final int[][] GEMM_SHAPES = {{1, 1, 1}, {17, 33, 5}, {63, 129, 31}, {1, 1000, 1}, {1000, 1, 1}, {1000, 784, 100}},
            SHAPES = {{1, 1}, {17, 33}, {1, 1000}, {1000, 1}, {1000, 10}};

    public static List<Row> run(Backend a, Backend b, long seed) {
        return run(a, b, seed, GEMM_SHAPES, SHAPES);
    }

    /** Every op on the given shapes: GEMM (m, k, n) in each transposition, the others (rows, cols). */
    public static List<Row> run(Backend a, Backend b, long seed, int[][] gemmShapes, int[][] shapes) {
        Random rng = new Random(seed);
        List<Row> rows = new ArrayList<>();
        try (CpuBackend f64 = CpuBackend.float64()) {
            for (Case c : cases(gemmShapes, shapes)) {
                double[][] inputs = new double[c.shapes.length][];
                for (int i = 0; i < inputs.length; i++) inputs[i] = random(rng, c.shapes[i][0] * c.shapes[i][1], c.scale);
                double[] ref = runOn(f64, c, inputs), ra = runOn(a, c, inputs), rb = runOn(b, c, inputs);
                rows.add(new Row(c.op, shape(c.shapes), maxAbs(ra, rb), maxRel(ra, rb, ref),
                        Math.max(maxRel(ra, ref, ref), maxRel(rb, ref, ref)), tolerance(a, b)));
            }
        }
        return rows;
    }

    private static double[] runOn(Backend be, Case c, double[][] inputs) {
        Matrix[] in = new Matrix[inputs.length];
        try {
            for (int i = 0; i < in.length; i++) in[i] = be.upload(c.shapes[i][0], c.shapes[i][1], inputs[i]);
            return c.run.run(be, in);
        } finally {
            for (Matrix m : in) {
                if (m != null) m.close();
            }
        }
    }

    /** Every op on the shapes: by default 1x1, 17x33, 1x1000, 1000x1 and the MNIST layer shapes. */
    private static List<Case> cases(int[][] gemmShapes, int[][] shapes) {
        List<Case> cases = new ArrayList<>();
        for (int[] d : gemmShapes) {
            int m = d[0], k = d[1], n = d[2];
            cases.add(new Case("gemm", new int[][] {{m, k}, {k, n}}, 1, (be, in) -> gemm(be, false, false, in[0], in[1])));
            cases.add(new Case("gemm aᵀ", new int[][] {{k, m}, {k, n}}, 1, (be, in) -> gemm(be, true, false, in[0], in[1])));
            cases.add(new Case("gemm bᵀ", new int[][] {{m, k}, {n, k}}, 1, (be, in) -> gemm(be, false, true, in[0], in[1])));
        }
        for (int[] s : shapes) {
            int[][] one = {s}, two = {s, s}, three = {s, s, s}, row = {s, {1, s[1]}};
            cases.add(new Case("sigmoid", one, 20, (be, in) -> unary(be, in[0], be::sigmoid)));
            cases.add(new Case("logSigmoid", one, 100, (be, in) -> unary(be, in[0], be::logSigmoid)));
            cases.add(new Case("softmaxRows", one, 10, (be, in) -> unary(be, in[0], be::softmaxRows)));
            cases.add(new Case("sigmoidGradient", three, 1, (be, in) -> {
                be.sigmoidGradient(in[0], in[1], in[2]);
                return be.downloadDoubles(in[2]);
            }));
            cases.add(new Case("mseGradient", three, 1, (be, in) -> {
                be.mseGradient(in[0], in[1], in[2]);
                return be.downloadDoubles(in[2]);
            }));
            cases.add(new Case("mseLoss", two, 1, (be, in) -> new double[] {be.mseLoss(in[0], in[1])}));
            cases.add(new Case("crossEntropyLoss", two, 1, (be, in) -> crossEntropy(be, in[0], in[1])));
            cases.add(new Case("binaryCrossEntropyLoss", two, 4, (be, in) -> binaryCrossEntropy(be, in[0], in[1])));
            cases.add(new Case("softmaxCrossEntropyGradient", three, 1, (be, in) -> {
                be.softmaxCrossEntropyGradient(in[0], in[1], in[2]);
                return be.downloadDoubles(in[2]);
            }));
            cases.add(new Case("softmaxCrossEntropy", two, 10, (be, in) -> softmaxCrossEntropy(be, in[0], in[1])));
            cases.add(new Case("axpy", two, 1, (be, in) -> {
                be.axpy(-0.7, in[0], in[1]);
                return be.downloadDoubles(in[1]);
            }));
            cases.add(new Case("addRowVector", row, 1, (be, in) -> {
                be.addRowVector(in[0], in[1]);
                return be.downloadDoubles(in[0]);
            }));
            cases.add(new Case("biasSigmoid", row, 20, (be, in) -> {
                be.biasSigmoid(in[0], in[1], in[0]);
                return be.downloadDoubles(in[0]);
            }));
            cases.add(new Case("columnSums", row, 1, (be, in) -> {
                be.columnSums(in[0], in[1]);
                return be.downloadDoubles(in[1]);
            }));
            cases.add(new Case("argmaxRows", one, 1, (be, in) -> toDoubles(be.argmaxRows(in[0]))));
            cases.add(new Case("countCorrect", two, 1, (be, in) -> new double[] {be.countCorrect(in[0], in[1])}));
            cases.add(new Case("gatherRows", one, 1, (be, in) -> gather(be, in[0])));
        }
        return cases;
    }

    private interface Unary {
        void apply(Matrix in, Matrix out);
    }

    private static double[] unary(Backend be, Matrix x, Unary op) {
        try (Matrix out = be.allocate(x.rows(), x.cols())) {
            op.apply(x, out);
            return be.downloadDoubles(out);
        }
    }

    private static double[] gemm(Backend be, boolean ta, boolean tb, Matrix a, Matrix b) {
        try (Matrix c = be.allocate(ta ? a.cols() : a.rows(), tb ? b.rows() : b.cols())) {
            be.gemm(ta, tb, 1, a, b, 0, c);
            return be.downloadDoubles(c);
        }
    }

    /** Cross-entropy of softmax(p) against softmax(t): both rows of probabilities. */
    private static double[] crossEntropy(Backend be, Matrix z, Matrix u) {
        be.softmaxRows(z, z);
        be.softmaxRows(u, u);
        return new double[] {be.crossEntropyLoss(z, u)};
    }

    /** The fused head on logits z against targets softmax(u): p, dZ and the loss, one after the other. */
    private static double[] softmaxCrossEntropy(Backend be, Matrix z, Matrix u) {
        be.softmaxRows(u, u);
        try (Matrix p = be.allocate(z.rows(), z.cols()); Matrix dZ = be.allocate(z.rows(), z.cols());
             Matrix losses = be.allocate(1, 1)) {
            be.softmaxCrossEntropy(z, u, p, dZ, losses, 0);
            double[] p64 = be.downloadDoubles(p), dZ64 = be.downloadDoubles(dZ);
            double[] all = java.util.Arrays.copyOf(p64, p64.length + dZ64.length + 1);
            System.arraycopy(dZ64, 0, all, p64.length, dZ64.length);
            all[all.length - 1] = be.downloadDoubles(losses)[0];
            return all;
        }
    }

    /** Binary cross-entropy of sigmoid(z) against the 0/1 targets t = (u > 0), made on the host: the same on every backend. */
    private static double[] binaryCrossEntropy(Backend be, Matrix z, Matrix u) {
        be.sigmoid(z, z);
        double[] t = be.downloadDoubles(u);
        for (int i = 0; i < t.length; i++) t[i] = t[i] > 0 ? 1 : 0;
        try (Matrix targets = be.upload(u.rows(), u.cols(), t)) {
            return new double[] {be.binaryCrossEntropyLoss(z, targets)};
        }
    }

    /** Rows in reverse order, the first one twice. */
    private static double[] gather(Backend be, Matrix src) {
        int[] idx = new int[src.rows() + 1];
        for (int i = 0; i < src.rows(); i++) idx[i] = src.rows() - 1 - i;
        idx[src.rows()] = src.rows() - 1;
        try (Matrix out = be.allocate(idx.length, src.cols())) {
            be.gatherRows(src, idx, out);
            return be.downloadDoubles(out);
        }
    }

    private static double[] toDoubles(int[] v) {
        double[] d = new double[v.length];
        for (int i = 0; i < v.length; i++) d[i] = v[i];
        return d;
    }

    private static double[] random(Random rng, int n, double scale) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) v[i] = (float) ((2 * rng.nextDouble() - 1) * scale);
        return v;
    }

    private static double maxAbs(double[] a, double[] b) {
        double worst = 0;
        for (int i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]));
        return worst;
    }

    /** max |a - b| / max(1, |ref|). */
    private static double maxRel(double[] a, double[] b, double[] ref) {
        double worst = 0;
        for (int i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]) / Math.max(1, Math.abs(ref[i])));
        return worst;
    }

    private static String shape(int[][] shapes) {
        StringBuilder s = new StringBuilder();
        for (int[] d : shapes) s.append(s.length() == 0 ? "" : " ").append(d[0]).append('x').append(d[1]);
        return s.toString();
    }
}
