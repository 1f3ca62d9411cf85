package dev.handnet.tck;

import dev.handnet.backend.Backend;
import dev.handnet.backend.Indices;
import dev.handnet.tck.OpCase.Operand;
import org.junit.jupiter.api.Named;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Function;

import static dev.handnet.tck.OpCase.Operand.read;
import static dev.handnet.tck.OpCase.Operand.update;
import static dev.handnet.tck.OpCase.Operand.write;

/**
 * Every case {@link BackendContract} runs through its one checking loop: each op of
 * {@link Backend} on shapes that cross every block and tile size of the backends we know of,
 * in place where the op allows it, and on special values. Cases are built when run, each from
 * a generator seeded by its name, so a failure repeats.
 */
public final class Ops {

    /**
     * (m, n) shapes for the elementwise, row and loss ops: single entries, odd sizes past 32 and
     * 64 in both dimensions (SIMD widths, OpenCL work-groups, column-sum blocks), a single long
     * row and column of 1000, an empty batch, and one of 4.2M entries, past the CPU backend's
     * 2^22 threshold for splitting work across threads.
     */
    static final int[][] SHAPES = {{1, 1}, {17, 33}, {1, 1000}, {1000, 1}, {100, 10}, {0, 7}, {67, 131}, {2053, 2049}};

    /**
     * (m, k, n) GEMM shapes: square ones (a wrong transpose cannot hide behind a shape check),
     * odd ones crossing 8-row, 32-column and 64 x 64 tiles and the CPU's 128-deep k blocks, the
     * training shapes, a prime k above 1000 (k blocks of unequal depth) with n = 80 (a last panel
     * of 16 columns) and with few rows (b read in place over several k blocks), n past 4096 (the
     * CPU's column blocks) with work enough to split columns across threads, n = 24 and 48 (a last
     * panel exactly half a tile wide, for tiles of 16 and 32 columns) past 64 rows, and empty
     * dimensions.
     */
    static final int[][] GEMM_SHAPES = {{1, 1, 1}, {7, 7, 7}, {65, 65, 65}, {130, 130, 130}, {17, 33, 5}, {33, 17, 65},
            {1, 1000, 1}, {1000, 1, 1}, {63, 129, 31}, {131, 259, 67}, {1000, 784, 100}, {7, 130, 1031},
            {67, 1031, 80}, {7, 1031, 33}, {9, 130, 4099}, {70, 37, 24}, {70, 37, 48}, {0, 5, 3}, {4, 0, 3}, {4, 5, 0}};

    /** (alpha, beta) beyond the two every shape runs ((1, 0) as training's layers, (0.75, 0.5)): accumulate, negate, alpha 0. */
    static final double[][] MORE_ALPHA_BETA = {{1, 1}, {-2, -1}, {0, 0.5}, {-0.01, 1}, {2.5, 0}};

    private Ops() {
    }

    /** Every case, named "op shape". */
    static List<Named<OpCaseSource>> all() {
        List<Named<OpCaseSource>> cases = new ArrayList<>();
        for (int[] d : GEMM_SHAPES) {
            for (int t = 0; t < 4; t++) {
                boolean ta = (t & 2) != 0, tb = (t & 1) != 0;
                add(cases, gemmName(d, ta, tb, 1, 0), rng -> gemm(rng, d[0], d[1], d[2], ta, tb, 1, 0));
                add(cases, gemmName(d, ta, tb, 0.75, 0.5), rng -> gemm(rng, d[0], d[1], d[2], ta, tb, 0.75, 0.5));
            }
        }
        for (int[] d : new int[][] {{31, 31, 31}, {33, 17, 65}}) {
            for (double[] ab : MORE_ALPHA_BETA) {
                for (int t = 0; t < 4; t++) {
                    boolean ta = (t & 2) != 0, tb = (t & 1) != 0;
                    add(cases, gemmName(d, ta, tb, ab[0], ab[1]), rng -> gemm(rng, d[0], d[1], d[2], ta, tb, ab[0], ab[1]));
                }
            }
        }
        for (int[] s : SHAPES) {
            int m = s[0], n = s[1];
            String shape = "(" + m + ", " + n + ")";
            for (String op : ELEMENTWISE) add(cases, op + " " + shape, rng -> elementwise(op, rng, m, n, false));
            for (String op : IN_PLACE) add(cases, op + " " + shape + " in place", rng -> elementwise(op, rng, m, n, true));
        }
        for (String op : ELEMENTWISE) add(cases, op + " special values", rng -> special(op));
        return cases;
    }

    /** One small case per op, (3, 4) or (3 x 4) x (4 x 5), named by the op: for the ownership and closed-matrix checks. */
    static List<Named<OpCaseSource>> each() {
        List<Named<OpCaseSource>> cases = new ArrayList<>();
        add(cases, "gemm", rng -> gemm(rng, 3, 4, 5, false, false, 1, 0));
        for (String op : ELEMENTWISE) add(cases, op, rng -> elementwise(op, rng, 3, 4, false));
        return cases;
    }

    /** {@link #each()} without argmaxRows, whose one operand has no wrong shape: for the wrong-shape check. */
    static List<Named<OpCaseSource>> eachWithSeveralOperands() {
        return each().stream().filter(c -> !c.getName().equals("argmaxRows")).toList();
    }

    /** A case built when run, from a generator seeded by its name. */
    public interface OpCaseSource {
        OpCase build();
    }

    private static void add(List<Named<OpCaseSource>> cases, String name, Function<Random, OpCase> build) {
        cases.add(Named.of(name, () -> build.apply(new Random(name.hashCode()))));
    }

    // ---- GEMM ------------------------------------------------------------------------------

    private static String gemmName(int[] d, boolean ta, boolean tb, double alpha, double beta) {
        return "gemm (" + d[0] + " x " + d[1] + ") x (" + d[1] + " x " + d[2] + "), " + (ta ? "aᵀ" : "a") + " "
                + (tb ? "bᵀ" : "b") + ", alpha " + fmt(alpha) + ", beta " + fmt(beta);
    }

    private static String fmt(double x) {
        return x == (long) x ? Long.toString((long) x) : Double.toString(x);
    }

    /** c = alpha op(a) op(b) + beta c, with a and b stored transposed when ta, tb; c garbage when beta = 0. */
    static OpCase gemm(Random rng, int m, int k, int n, boolean ta, boolean tb, double alpha, double beta) {
        double[] a = Inputs.uniform(rng, m * k, 1), b = Inputs.uniform(rng, k * n, 1);
        double[] c = beta == 0 ? Inputs.garbage(m * n) : Inputs.uniform(rng, m * n, 1);
        double[] expected = Reference.gemm(false, false, alpha, a, b, beta, c, m, k, n);
        double[] scale = Reference.gemmMagnitude(false, false, alpha, a, b, beta, c, m, k, n);
        Operand oa = ta ? read("a", k, m, Reference.transpose(a, m, k)) : read("a", m, k, a);
        Operand ob = tb ? read("b", n, k, Reference.transpose(b, k, n)) : read("b", k, n, b);
        Operand oc = new Operand("c", m, n, beta == 0 ? OpCase.Role.WRITE : OpCase.Role.UPDATE, c, expected, scale);
        return new OpCase("gemm", List.of(oa, ob, oc), (be, x) -> {
            be.gemm(ta, tb, alpha, x[0], x[1], beta, x[2]);
            return null;
        }, null);
    }

    // ---- elementwise, row and loss ops -------------------------------------------------------

    /** The ops run on every (m, n) shape and on special values. */
    static final List<String> ELEMENTWISE = List.of("addRowVector", "sigmoid", "biasSigmoid", "sigmoidGradient",
            "softmaxRows", "logSigmoid", "mseLoss", "mseGradient", "crossEntropyLoss", "binaryCrossEntropyLoss",
            "softmaxCrossEntropyGradient", "softmaxCrossEntropy", "columnSums", "axpy", "gatherRows",
            "gatherRows from int[]", "argmaxRows", "countCorrect");

    /** The ops whose output may be one of their inputs (Backend's aliasing rule), run again that way. */
    static final List<String> IN_PLACE = List.of("sigmoid", "biasSigmoid", "sigmoidGradient", "softmaxRows",
            "logSigmoid", "mseGradient", "softmaxCrossEntropyGradient", "softmaxCrossEntropy");

    /** The losses row every loss op adds into, at column 1; its other columns must keep their values. */
    private static final double[] LOSSES = {2.5, -1, 7};

    /**
     * The row after adding loss at column 1, checked as a sum: every loss here is a mean of
     * non-negative terms, so the sum of |terms| is |loss|, and the float32 error of summing 4.2M
     * of them is GEMM-like (1.1e-6 of the loss on PoCL). The other columns must be untouched.
     */
    private static Operand losses(double loss) {
        return update("losses", 1, 3, LOSSES, new double[] {LOSSES[0], LOSSES[1] + loss, LOSSES[2]})
                .summing(new double[] {0, Math.abs(LOSSES[1]) + Math.abs(loss), 0});
    }

    /** op on random values of shape (m, n); inPlace: its output is its first input. */
    static OpCase elementwise(String op, Random rng, int m, int n, boolean inPlace) {
        int size = m * n;
        return switch (op) {
            case "addRowVector" -> addRowVector(Inputs.uniform(rng, size, 1), Inputs.uniform(rng, n, 1), m, n);
            case "sigmoid" -> sigmoid(Inputs.uniform(rng, size, 30), m, n, inPlace);
            case "biasSigmoid" -> biasSigmoid(Inputs.uniform(rng, size, 30), Inputs.uniform(rng, n, 5), m, n, inPlace);
            case "sigmoidGradient" -> sigmoidGradient(Inputs.uniform(rng, size, 2), Inputs.unit(rng, size), m, n, inPlace);
            case "softmaxRows" -> softmaxRows(Inputs.uniform(rng, size, 8), m, n, inPlace);
            case "logSigmoid" -> logSigmoid(Inputs.uniform(rng, size, 30), m, n, inPlace);
            case "mseLoss" -> mseLoss(Inputs.uniform(rng, size, 1), Inputs.uniform(rng, size, 1), m, n);
            case "mseGradient" -> mseGradient(Inputs.uniform(rng, size, 1), Inputs.uniform(rng, size, 1), m, n, inPlace);
            case "crossEntropyLoss" -> crossEntropyLoss(Inputs.probabilities(rng, m, n), Inputs.oneHot(rng, m, n), m, n);
            case "binaryCrossEntropyLoss" -> binaryCrossEntropyLoss(Inputs.unit(rng, size), Inputs.bits(rng, size), m, n);
            case "softmaxCrossEntropyGradient" ->
                    softmaxCrossEntropyGradient(Inputs.probabilities(rng, m, n), Inputs.oneHot(rng, m, n), m, n, inPlace);
            case "softmaxCrossEntropy" ->
                    softmaxCrossEntropy(Inputs.uniform(rng, size, 8), Inputs.oneHot(rng, m, n), m, n, inPlace);
            case "columnSums" -> columnSums(Inputs.uniform(rng, size, 1), m, n);
            case "axpy" -> axpy(-0.3, Inputs.uniform(rng, size, 1), Inputs.uniform(rng, size, 1), m, n);
            case "gatherRows" -> gatherRows(rng, m, n, false);
            case "gatherRows from int[]" -> gatherRows(rng, m, n, true);
            case "argmaxRows" -> argmaxRows(Inputs.levels(rng, size, 8), m, n);
            case "countCorrect" -> countCorrect(Inputs.levels(rng, size, 8), Inputs.oneHot(rng, m, n), m, n);
            default -> throw new IllegalArgumentException("no case for " + op);
        };
    }

    /** op on special values: zeros, subnormals, +-1000, +-1e30, infinities and NaN, where its definition says what they give. */
    static OpCase special(String op) {
        double[] s16 = Inputs.special(16, false), f8 = Inputs.special(8, true);
        double[] softmaxRows = {1e30f, -1e30f, 0, 1e-40f,   1000, 1000, -1000, 0,   -1000, -1000, -1000, -1000,
                1e-40f, -1e-40f, 0, Float.MIN_VALUE,   88.8f, -88.8f, 20, -20,   Double.NaN, 0, 1, 2};
        double[] probabilities = {0, 1, 0, 0,   Float.MIN_VALUE, 1e-40f, 1e-30f, Float.MIN_NORMAL};
        double[] softTargets = {1, 0, 0, 0,   0.25, 0.25, 0.25, 0.25};
        double[] argmax = {Double.NEGATIVE_INFINITY, -1e30f, -1e30f, -1000,   -0.0, 0, 0, -1e-40f,
                1e30f, Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY, 1e30f,   -1000, 20, 88.8f, 88.8f};
        double[] largeAndSmall = {0, -0.0, 1e-40f, -1e-40f, 1000, -1000, 1e15f, -1e15f};
        double[] targets = {1e-40f, 0, 0, 1, -1000, 1000, 0, 1e15f};
        return switch (op) {
            case "addRowVector" -> addRowVector(f8, new double[] {1, -1, 1e-40f, 1e30f}, 2, 4);
            case "sigmoid" -> sigmoid(s16, 1, 16, false);
            case "biasSigmoid" -> biasSigmoid(s16, new double[] {0, 1, -1, 2.5, 0, 1, -1, 2.5}, 2, 8, false);
            case "sigmoidGradient" -> sigmoidGradient(f8, new double[] {0, 1, 0.5, 1e-40f, 1 - 0x1p-24f, 0.25, 1e-20f, 0.75}, 2, 4, false);
            case "softmaxRows" -> softmaxRows(softmaxRows, 6, 4, false);
            case "logSigmoid" -> logSigmoid(s16, 1, 16, false);
            case "mseLoss" -> mseLoss(largeAndSmall, targets, 2, 4);
            case "mseGradient" -> mseGradient(largeAndSmall, targets, 2, 4, false);
            case "crossEntropyLoss" -> crossEntropyLoss(probabilities, softTargets, 2, 4);
            case "binaryCrossEntropyLoss" -> binaryCrossEntropyLoss(new double[] {0, 1, 0, 1, 1e-40f, 1 - 0x1p-24f,
                    Float.MIN_NORMAL, Double.NaN}, new double[] {1, 0, 0, 1, 1, 0, 1, 0}, 2, 4);
            case "softmaxCrossEntropyGradient" -> softmaxCrossEntropyGradient(probabilities, softTargets, 2, 4, false);
            case "softmaxCrossEntropy" -> softmaxCrossEntropy(softmaxRows, new double[] {0, 1, 0, 0,   0, 0, 1, 0,
                    1, 0, 0, 0,   0, 0, 0, 1,   0, 1, 0, 0,   0, 0, 1, 0}, 6, 4, false);
            case "columnSums" -> columnSums(new double[] {1e30f, -1e30f, 1e-40f, Double.NaN,   -1e30f, 1e30f, -1e-40f, 0,
                    1, 2, 0, 5}, 3, 4);
            case "axpy" -> axpy(-0.3, f8, new double[] {1e30f, 0, -1e-40f, 1, 1000, 3e29f, 0, -1e30f}, 2, 4);
            case "gatherRows" -> gatherRows(new Random(1), 3, 16, false);
            case "gatherRows from int[]" -> gatherRows(new Random(2), 3, 16, true);
            case "argmaxRows" -> argmaxRows(argmax, 4, 4);
            case "countCorrect" -> countCorrect(argmax, Inputs.oneHot(new Random(3), 4, 4), 4, 4);
            default -> throw new IllegalArgumentException("no case for " + op);
        };
    }

    private static OpCase addRowVector(double[] x, double[] bias, int m, int n) {
        return new OpCase("addRowVector", List.of(update("x", m, n, x, Reference.addRowVector(x, bias)),
                read("bias", 1, n, bias)), (be, a) -> {
            be.addRowVector(a[0], a[1]);
            return null;
        }, null);
    }

    /** An elementwise op out = f(z): z READ and out WRITE, or z UPDATE and passed as both. */
    private static OpCase unary(String op, double[] z, double[] out, int m, int n, boolean inPlace, Unary call) {
        List<Operand> operands = inPlace ? List.of(update("z", m, n, z, out)) : List.of(read("z", m, n, z), write("out", m, n, out));
        return new OpCase(op, operands, (be, a) -> {
            call.run(be, a[0], inPlace ? a[0] : a[1]);
            return null;
        }, null);
    }

    private interface Unary {
        void run(Backend be, dev.handnet.backend.Matrix in, dev.handnet.backend.Matrix out);
    }

    private static OpCase sigmoid(double[] z, int m, int n, boolean inPlace) {
        return unary("sigmoid", z, Reference.sigmoid(z), m, n, inPlace, Backend::sigmoid);
    }

    private static OpCase logSigmoid(double[] z, int m, int n, boolean inPlace) {
        return unary("logSigmoid", z, Reference.logSigmoid(z), m, n, inPlace, Backend::logSigmoid);
    }

    private static OpCase softmaxRows(double[] z, int m, int n, boolean inPlace) {
        return unary("softmaxRows", z, Reference.softmaxRows(z, m, n), m, n, inPlace, Backend::softmaxRows);
    }

    private static OpCase biasSigmoid(double[] z, double[] bias, int m, int n, boolean inPlace) {
        double[] out = Reference.sigmoid(Reference.addRowVector(z, bias));
        Operand b = read("bias", 1, n, bias);
        List<Operand> operands = inPlace ? List.of(update("z", m, n, z, out), b) : List.of(read("z", m, n, z), b, write("out", m, n, out));
        return new OpCase("biasSigmoid", operands, (be, a) -> {
            be.biasSigmoid(a[0], a[1], inPlace ? a[0] : a[2]);
            return null;
        }, null);
    }

    /** dZ = dA s (1 - s); in place, dZ is dA. */
    private static OpCase sigmoidGradient(double[] dA, double[] s, int m, int n, boolean inPlace) {
        double[] dZ = Reference.sigmoidGradient(dA, s);
        Operand os = read("s", m, n, s);
        List<Operand> operands = inPlace ? List.of(update("dA", m, n, dA, dZ), os)
                : List.of(read("dA", m, n, dA), os, write("dZ", m, n, dZ));
        return new OpCase("sigmoidGradient", operands, (be, a) -> {
            be.sigmoidGradient(a[0], a[1], inPlace ? a[0] : a[2]);
            return null;
        }, null);
    }

    private static OpCase mseLoss(double[] y, double[] t, int m, int n) {
        return new OpCase("mseLoss", List.of(read("y", m, n, y), read("t", m, n, t), losses(Reference.mseLoss(y, t, m))),
                (be, a) -> {
                    be.mseLoss(a[0], a[1], a[2], 1);
                    return null;
                }, null);
    }

    /** dY = (y - t) / m; in place, dY is y. */
    private static OpCase mseGradient(double[] y, double[] t, int m, int n, boolean inPlace) {
        return difference("mseGradient", y, t, m, n, inPlace, Backend::mseGradient);
    }

    /** dZ = (p - t) / m; in place, dZ is p. */
    private static OpCase softmaxCrossEntropyGradient(double[] p, double[] t, int m, int n, boolean inPlace) {
        return difference("softmaxCrossEntropyGradient", p, t, m, n, inPlace, Backend::softmaxCrossEntropyGradient);
    }

    private interface Binary {
        void run(Backend be, dev.handnet.backend.Matrix x, dev.handnet.backend.Matrix t, dev.handnet.backend.Matrix out);
    }

    private static OpCase difference(String op, double[] y, double[] t, int m, int n, boolean inPlace, Binary call) {
        double[] d = Reference.differenceOverM(y, t, m);
        Operand ot = read("t", m, n, t);
        List<Operand> operands = inPlace ? List.of(update("y", m, n, y, d), ot) : List.of(read("y", m, n, y), ot, write("out", m, n, d));
        return new OpCase(op, operands, (be, a) -> {
            call.run(be, a[0], a[1], inPlace ? a[0] : a[2]);
            return null;
        }, null);
    }

    private static OpCase crossEntropyLoss(double[] p, double[] t, int m, int n) {
        return new OpCase("crossEntropyLoss", List.of(read("p", m, n, p), read("t", m, n, t),
                losses(Reference.crossEntropyLoss(p, t, m))), (be, a) -> {
            be.crossEntropyLoss(a[0], a[1], a[2], 1);
            return null;
        }, null);
    }

    private static OpCase binaryCrossEntropyLoss(double[] p, double[] t, int m, int n) {
        return new OpCase("binaryCrossEntropyLoss", List.of(read("p", m, n, p), read("t", m, n, t),
                losses(Reference.binaryCrossEntropyLoss(p, t, m))), (be, a) -> {
            be.binaryCrossEntropyLoss(a[0], a[1], a[2], 1);
            return null;
        }, null);
    }

    /** p = softmax(z), losses[1] += CE(p, t), dZ = (p - t) / m; in place, p is z. */
    private static OpCase softmaxCrossEntropy(double[] z, double[] t, int m, int n, boolean inPlace) {
        double[] p = Reference.softmaxRows(z, m, n);
        Operand ot = read("t", m, n, t), dZ = write("dZ", m, n, Reference.differenceOverM(p, t, m));
        Operand losses = losses(Reference.crossEntropyLoss(p, t, m));
        List<Operand> operands = inPlace ? List.of(update("z", m, n, z, p), ot, dZ, losses)
                : List.of(read("z", m, n, z), ot, write("p", m, n, p), dZ, losses);
        return new OpCase("softmaxCrossEntropy", operands, (be, a) -> {
            if (inPlace) be.softmaxCrossEntropy(a[0], a[1], a[0], a[2], a[3], 1);
            else be.softmaxCrossEntropy(a[0], a[1], a[2], a[3], a[4], 1);
            return null;
        }, null);
    }

    private static OpCase columnSums(double[] x, int m, int n) {
        Operand out = write("out", 1, n, Reference.columnSums(x, m, n)).summing(Reference.columnSums(Reference.abs(x), m, n));
        return new OpCase("columnSums", List.of(read("x", m, n, x), out), (be, a) -> {
            be.columnSums(a[0], a[1]);
            return null;
        }, null);
    }

    private static OpCase axpy(double alpha, double[] x, double[] y, int m, int n) {
        return new OpCase("axpy", List.of(read("x", m, n, x), update("y", m, n, y, Reference.axpy(alpha, x, y))), (be, a) -> {
            be.axpy(alpha, a[0], a[1]);
            return null;
        }, null);
    }

    /**
     * out = src[indices[2 + i], :] from (m + 3, n) rows (repeats included): through indices uploaded
     * once and gathered from an offset, as training's batches are; or, intArray, through the
     * gatherRows(Matrix, int[], Matrix) form with indices[2..].
     */
    private static OpCase gatherRows(Random rng, int m, int n, boolean intArray) {
        double[] src = Inputs.uniform(rng, (m + 3) * n, 1);
        int[] indices = new int[m + 2];
        for (int i = 0; i < indices.length; i++) indices[i] = rng.nextInt(m + 3);
        int[] tail = java.util.Arrays.copyOfRange(indices, 2, indices.length);
        return new OpCase("gatherRows", List.of(read("src", m + 3, n, src), write("out", m, n, Reference.gatherRows(src, n, indices, 2, m))),
                (be, a) -> {
                    if (intArray) {
                        be.gatherRows(a[0], tail, a[1]);
                        return null;
                    }
                    try (Indices onDevice = be.uploadIndices(indices)) {
                        be.gatherRows(a[0], onDevice, 2, a[1]);
                    }
                    return null;
                }, null);
    }

    private static OpCase argmaxRows(double[] x, int m, int n) {
        return new OpCase("argmaxRows", List.of(read("x", m, n, x)), (be, a) -> be.argmaxRows(a[0]),
                Reference.argmaxRows(x, m, n));
    }

    private static OpCase countCorrect(double[] scores, double[] targets, int m, int n) {
        return new OpCase("countCorrect", List.of(read("scores", m, n, scores), read("targets", m, n, targets)),
                (be, a) -> be.countCorrect(a[0], a[1]), Reference.countCorrect(scores, targets, m, n));
    }
}
