package dev.handnet.tck;

import dev.handnet.backend.Backend;
import dev.handnet.backend.Indices;
import dev.handnet.backend.Matrix;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Random;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The contract every {@link Backend} must meet: each op against the float64 {@link Reference}
 * on awkward shapes, shape errors, and buffer lifetime. A backend's test extends this class
 * and says how to open it and how precise it is.
 */
public abstract class BackendContract {

    /** A fresh backend for one test; closed after it. */
    protected abstract Backend createBackend();

    /**
     * Allowed error of elementwise ops, row ops and losses, relative to max(1, |reference|):
     * {@link Tolerances#FLOAT32} or {@link Tolerances#FLOAT64} by the backend's precision.
     * Override it, with the reason in its javadoc, only for a backend whose arithmetic is
     * documented to be looser (see docs/backend-guide.md).
     */
    protected double tolerance() {
        return Tolerances.elementwise(be.precision());
    }

    /**
     * Allowed GEMM and column-sum error relative to sum_p |alpha a_ip b_pj| + |beta c_ij|:
     * {@link Tolerances#FLOAT32_GEMM} or {@link Tolerances#FLOAT64_GEMM}.
     */
    protected double gemmTolerance() {
        return Tolerances.gemm(be.precision());
    }

    protected Backend be;
    private final Random rng = new Random(42);

    @BeforeEach
    void open() {
        be = createBackend();
    }

    @AfterEach
    void closeBackend() {
        if (be != null) be.close();   // null when createBackend skipped the test
    }

    // ---- helpers ---------------------------------------------------------------------------

    /** rows*cols uniform values in [-scale, scale], rounded to float so every backend holds the same numbers. */
    protected double[] random(int rows, int cols, double scale) {
        double[] v = new double[rows * cols];
        for (int i = 0; i < v.length; i++) v[i] = (float) ((2 * rng.nextDouble() - 1) * scale);
        return v;
    }

    protected Matrix upload(int rows, int cols, double[] values) {
        return be.upload(rows, cols, values);
    }

    protected void assertClose(double[] expected, double[] actual, String what) {
        assertEquals(expected.length, actual.length, what + ": length");
        for (int i = 0; i < expected.length; i++) {
            double allowed = tolerance() * Math.max(1, Math.abs(expected[i]));
            assertTrue(Math.abs(expected[i] - actual[i]) <= allowed,
                    what + "[" + i + "]: expected " + expected[i] + ", got " + actual[i] + " (allowed error " + allowed + ")");
        }
    }

    protected void assertClose(double expected, double actual, String what) {
        assertClose(new double[] {expected}, new double[] {actual}, what);
    }

    // ---- GEMM ------------------------------------------------------------------------------

    static Stream<Arguments> gemmShapes() {
        int[][] mkn = {{1, 1, 1}, {17, 33, 5}, {33, 17, 65}, {1, 1000, 1}, {1000, 1, 1}, {63, 129, 31},
                {1000, 784, 100}, {7, 130, 1031}, {0, 5, 3}, {4, 0, 3}, {4, 5, 0}};
        Stream.Builder<Arguments> s = Stream.builder();
        for (int[] d : mkn) {
            for (boolean ta : new boolean[] {false, true}) {
                for (boolean tb : new boolean[] {false, true}) s.add(Arguments.of(d[0], d[1], d[2], ta, tb));
            }
        }
        return s.build();
    }

    @ParameterizedTest(name = "({0} x {1}) x ({1} x {2}), transA {3}, transB {4}")
    @MethodSource("gemmShapes")
    void gemmMatchesReferenceForEveryShapeAndTransposition(int m, int k, int n, boolean ta, boolean tb) {
        double[] a = random(m, k, 1), b = random(k, n, 1), c = random(m, n, 1);
        double alpha = 0.75, beta = 0.5;
        try (Matrix ma = ta ? upload(k, m, Reference.transpose(a, m, k)) : upload(m, k, a);
             Matrix mb = tb ? upload(n, k, Reference.transpose(b, k, n)) : upload(k, n, b);
             Matrix mc = upload(m, n, c)) {
            be.gemm(ta, tb, alpha, ma, mb, beta, mc);
            double[] expected = Reference.gemm(false, false, alpha, a, b, beta, c, m, k, n);
            double[] scale = Reference.gemmMagnitude(false, false, alpha, a, b, m, k, n);
            double[] actual = be.downloadDoubles(mc);
            for (int i = 0; i < expected.length; i++) {
                double allowed = gemmTolerance() * (scale[i] + Math.abs(beta * c[i])) + 1e-30;
                assertTrue(Math.abs(expected[i] - actual[i]) <= allowed,
                        "c[" + i + "]: expected " + expected[i] + ", got " + actual[i] + " (allowed " + allowed + ")");
            }
        }
    }

    @Test
    void gemmWithBetaZeroIgnoresNaNInC() {
        try (Matrix a = upload(2, 3, random(2, 3, 1)); Matrix b = upload(3, 2, random(3, 2, 1));
             Matrix c = upload(2, 2, new double[] {Double.NaN, Double.NaN, Double.NaN, Double.NaN})) {
            be.gemm(false, false, 1, a, b, 0, c);
            for (double v : be.downloadDoubles(c)) assertTrue(Double.isFinite(v), "NaN leaked through beta = 0");
        }
    }

    @Test
    void gemmShapeMismatchNamesBothShapes() {
        try (Matrix a = be.allocate(3, 4); Matrix b = be.allocate(5, 2); Matrix c = be.allocate(3, 2)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> be.gemm(false, false, 1, a, b, 0, c));
            assertTrue(e.getMessage().contains("(3, 4)") && e.getMessage().contains("(5, 2)"), e.getMessage());
            IllegalArgumentException out = assertThrows(IllegalArgumentException.class,
                    () -> be.gemm(false, true, 1, a, a, 0, c));
            assertTrue(out.getMessage().contains("(3, 3)") && out.getMessage().contains("(3, 2)"), out.getMessage());
        }
    }

    @Test
    void gemmRejectsAnOutputThatIsAlsoAnInput() {
        try (Matrix a = be.allocate(3, 3); Matrix b = be.allocate(3, 3)) {
            assertThrows(IllegalArgumentException.class, () -> be.gemm(false, false, 1, a, b, 0, a));
            assertThrows(IllegalArgumentException.class, () -> be.gemm(false, false, 1, a, b, 0, b));
        }
    }

    // ---- elementwise and row ops --------------------------------------------------------------

    static Stream<Arguments> shapes() {
        return Stream.of(Arguments.of(1, 1), Arguments.of(17, 33), Arguments.of(1, 1000), Arguments.of(1000, 1),
                Arguments.of(100, 10), Arguments.of(0, 7));
    }

    @ParameterizedTest(name = "({0}, {1})")
    @MethodSource("shapes")
    void sigmoidMatchesReferenceIncludingSaturation(int m, int n) {
        double[] z = random(m, n, 30);
        try (Matrix mz = upload(m, n, z); Matrix out = be.allocate(m, n)) {
            be.sigmoid(mz, out);
            double[] expected = new double[z.length];
            for (int i = 0; i < z.length; i++) expected[i] = Reference.sigmoid(z[i]);
            assertClose(expected, be.downloadDoubles(out), "sigmoid");
        }
    }

    @ParameterizedTest(name = "({0}, {1})")
    @MethodSource("shapes")
    void sigmoidGradientIsDaTimesSTimesOneMinusS(int m, int n) {
        double[] dA = random(m, n, 2), s = random(m, n, 1);
        try (Matrix mdA = upload(m, n, dA); Matrix ms = upload(m, n, s); Matrix dZ = be.allocate(m, n)) {
            be.sigmoidGradient(mdA, ms, dZ);
            double[] expected = new double[s.length];
            for (int i = 0; i < s.length; i++) expected[i] = dA[i] * s[i] * (1 - s[i]);
            assertClose(expected, be.downloadDoubles(dZ), "sigmoidGradient");
        }
    }

    @ParameterizedTest(name = "({0}, {1})")
    @MethodSource("shapes")
    void logSigmoidMatchesReferenceWithoutOverflow(int m, int n) {
        double[] z = random(m, n, 200);
        try (Matrix mz = upload(m, n, z); Matrix out = be.allocate(m, n)) {
            be.logSigmoid(mz, out);
            double[] expected = new double[z.length];
            for (int i = 0; i < z.length; i++) expected[i] = z[i] < -30 ? z[i] : Math.log(Reference.sigmoid(z[i]));
            assertClose(expected, be.downloadDoubles(out), "logSigmoid");
        }
    }

    @ParameterizedTest(name = "({0}, {1})")
    @MethodSource("shapes")
    void softmaxRowsIsStableForLargeLogits(int m, int n) {
        double[] z = random(m, n, 1000);
        try (Matrix mz = upload(m, n, z); Matrix out = be.allocate(m, n)) {
            be.softmaxRows(mz, out);
            assertClose(Reference.softmaxRows(z, m, n), be.downloadDoubles(out), "softmaxRows");
        }
    }

    @ParameterizedTest(name = "({0}, {1})")
    @MethodSource("shapes")
    void softmaxRowsMatchesReferenceForModerateLogits(int m, int n) {
        double[] z = random(m, n, 3);
        try (Matrix mz = upload(m, n, z); Matrix out = be.allocate(m, n)) {
            be.softmaxRows(mz, out);
            assertClose(Reference.softmaxRows(z, m, n), be.downloadDoubles(out), "softmaxRows");
        }
    }

    @Test
    void elementwiseAndRowOpsMayWriteOverTheirInput() {
        double[] z = random(17, 33, 3), dA = random(17, 33, 1);
        try (Matrix mz = upload(17, 33, z); Matrix s = upload(17, 33, z); Matrix mdA = upload(17, 33, dA)) {
            be.softmaxRows(mz, mz);
            assertClose(Reference.softmaxRows(z, 17, 33), be.downloadDoubles(mz), "softmaxRows in place");
            be.sigmoidGradient(mdA, s, mdA);
            double[] expected = new double[z.length];
            for (int i = 0; i < z.length; i++) expected[i] = dA[i] * z[i] * (1 - z[i]);
            assertClose(expected, be.downloadDoubles(mdA), "sigmoidGradient in place");
        }
    }

    @ParameterizedTest(name = "({0}, {1})")
    @MethodSource("shapes")
    void addRowVectorBroadcastsTheBiasOverRows(int m, int n) {
        double[] x = random(m, n, 1), bias = random(1, n, 1);
        try (Matrix mx = upload(m, n, x); Matrix mb = upload(1, n, bias)) {
            be.addRowVector(mx, mb);
            double[] expected = new double[x.length];
            for (int i = 0; i < x.length; i++) expected[i] = x[i] + bias[i % n];
            assertClose(expected, be.downloadDoubles(mx), "addRowVector");
        }
    }

    @ParameterizedTest(name = "({0}, {1})")
    @MethodSource("shapes")
    void columnSumsAddUpEachColumn(int m, int n) {
        double[] x = random(m, n, 1);
        try (Matrix mx = upload(m, n, x); Matrix out = be.allocate(1, n)) {
            be.columnSums(mx, out);
            double[] expected = Reference.columnSums(x, m, n);
            double[] magnitude = Reference.columnSums(Reference.abs(x), m, n);
            double[] actual = be.downloadDoubles(out);
            for (int j = 0; j < n; j++) {
                // Like GEMM: a sum of m terms errs by at most about m ulps of sum |x|.
                double allowed = gemmTolerance() * magnitude[j] + 1e-30;
                assertTrue(Math.abs(expected[j] - actual[j]) <= allowed, "column " + j + ": " + expected[j] + " vs " + actual[j]);
            }
        }
    }

    @ParameterizedTest(name = "({0}, {1})")
    @MethodSource("shapes")
    void axpyAddsAScaledMatrix(int m, int n) {
        double[] x = random(m, n, 1), y = random(m, n, 1);
        try (Matrix mx = upload(m, n, x); Matrix my = upload(m, n, y)) {
            be.axpy(-0.3, mx, my);
            double[] expected = new double[x.length];
            for (int i = 0; i < x.length; i++) expected[i] = y[i] - 0.3 * x[i];
            assertClose(expected, be.downloadDoubles(my), "axpy");
        }
    }

    // ---- losses ----------------------------------------------------------------------------

    @ParameterizedTest(name = "({0}, {1})")
    @MethodSource("shapes")
    void mseLossAndGradientFollowTheirDefinitions(int m, int n) {
        double[] y = random(m, n, 1), t = random(m, n, 1);
        try (Matrix my = upload(m, n, y); Matrix mt = upload(m, n, t); Matrix dY = be.allocate(m, n)) {
            double sum = 0;
            double[] grad = new double[y.length];
            for (int i = 0; i < y.length; i++) {
                sum += (y[i] - t[i]) * (y[i] - t[i]);
                grad[i] = (y[i] - t[i]) / m;
            }
            assertClose(m == 0 ? 0 : sum / (2.0 * m), be.mseLoss(my, mt), "mseLoss");
            be.mseGradient(my, mt, dY);
            assertClose(grad, be.downloadDoubles(dY), "mseGradient");
        }
    }

    @ParameterizedTest(name = "({0}, {1})")
    @MethodSource("shapes")
    void crossEntropyAndFusedGradientFollowTheirDefinitions(int m, int n) {
        double[] p = Reference.softmaxRows(random(m, n, 5), m, n);
        for (int i = 0; i < p.length; i++) p[i] = (float) p[i];
        double[] t = oneHot(m, n);
        try (Matrix mp = upload(m, n, p); Matrix mt = upload(m, n, t); Matrix dZ = be.allocate(m, n)) {
            double sum = 0;
            double[] grad = new double[p.length];
            for (int i = 0; i < p.length; i++) {
                if (t[i] != 0) sum -= t[i] * Math.log(p[i]);
                grad[i] = (p[i] - t[i]) / m;
            }
            assertClose(m == 0 ? 0 : sum / m, be.crossEntropyLoss(mp, mt), "crossEntropyLoss");
            be.softmaxCrossEntropyGradient(mp, mt, dZ);
            assertClose(grad, be.downloadDoubles(dZ), "softmaxCrossEntropyGradient");
        }
    }

    /** The clamp at FLT_MIN stops infinities, not NaN: a NaN probability (a run gone bad) must show in the loss. */
    @Test
    void aNaNProbabilityMakesEveryLossNaN() {
        try (Matrix p = upload(1, 2, new double[] {Double.NaN, 0.5}); Matrix t = upload(1, 2, new double[] {1, 0});
             Matrix z = upload(1, 2, new double[] {Double.NaN, 0}); Matrix out = be.allocate(1, 2);
             Matrix dZ = be.allocate(1, 2); Matrix losses = be.allocate(1, 1)) {
            assertTrue(Double.isNaN(be.crossEntropyLoss(p, t)), "crossEntropyLoss");
            assertTrue(Double.isNaN(be.binaryCrossEntropyLoss(p, t)), "binaryCrossEntropyLoss");
            assertTrue(Double.isNaN(be.mseLoss(p, t)), "mseLoss");
            be.softmaxCrossEntropy(z, t, out, dZ, losses, 0);
            assertTrue(Double.isNaN(be.downloadDoubles(losses)[0]), "softmaxCrossEntropy");
        }
    }

    @Test
    void crossEntropyOfAZeroProbabilityIsLargeButFinite() {
        try (Matrix p = upload(1, 2, new double[] {0, 1}); Matrix t = upload(1, 2, new double[] {1, 0})) {
            double loss = be.crossEntropyLoss(p, t);
            assertTrue(Double.isFinite(loss) && loss > 80, "loss " + loss);
        }
    }

    @ParameterizedTest(name = "({0}, {1})")
    @MethodSource("shapes")
    void binaryCrossEntropyFollowsItsDefinitionWithoutClamping(int m, int n) {
        double[] p = random(m, n, 6), t = new double[m * n];
        for (int i = 0; i < p.length; i++) {
            p[i] = (float) Reference.sigmoid(p[i]);   // in [0.0024, 0.9976]: the clamp must not touch it
            t[i] = rng.nextBoolean() ? 1 : 0;
        }
        try (Matrix mp = upload(m, n, p); Matrix mt = upload(m, n, t)) {
            double sum = 0;
            for (int i = 0; i < p.length; i++) sum -= t[i] * Math.log(p[i]) + (1 - t[i]) * Math.log(1 - p[i]);
            assertClose(m == 0 ? 0 : sum / m, be.binaryCrossEntropyLoss(mp, mt), "binaryCrossEntropyLoss");
        }
    }

    @Test
    void binaryCrossEntropyOfAProbabilityOfExactlyZeroOrOneIsLargeButFiniteAtEitherEnd() {
        double wrong = -Math.log(Float.MIN_NORMAL);   // about 87.3 nats: log's argument clamped at FLT_MIN
        double[][] pTargetLoss = {{0, 1, wrong}, {1, 0, wrong}, {0, 0, 0}, {1, 1, 0}};
        for (double[] c : pTargetLoss) {
            try (Matrix p = upload(1, 1, new double[] {c[0]}); Matrix t = upload(1, 1, new double[] {c[1]})) {
                assertClose(c[2], be.binaryCrossEntropyLoss(p, t), "binaryCrossEntropyLoss(p = " + c[0] + ", t = " + c[1] + ")");
            }
        }
    }

    /** The loss ops add into their column of a row that keeps what it held: an epoch's batch losses stay on the backend. */
    @Test
    void lossesAddIntoTheirColumnWithoutResettingIt() {
        double[] p = Reference.softmaxRows(random(7, 10, 5), 7, 10);
        for (int i = 0; i < p.length; i++) p[i] = (float) p[i];
        double[] t = oneHot(7, 10);
        try (Matrix mp = upload(7, 10, p); Matrix mt = upload(7, 10, t); Matrix losses = upload(1, 3, new double[] {2.5, -1, 7})) {
            double mse = be.mseLoss(mp, mt), ce = be.crossEntropyLoss(mp, mt), bce = be.binaryCrossEntropyLoss(mp, mt);
            be.mseLoss(mp, mt, losses, 0);
            be.crossEntropyLoss(mp, mt, losses, 0);
            be.crossEntropyLoss(mp, mt, losses, 2);
            be.binaryCrossEntropyLoss(mp, mt, losses, 0);
            assertClose(new double[] {2.5 + mse + ce + bce, -1, 7 + ce}, be.downloadDoubles(losses),
                    "2.5 + three losses, untouched, 7 + one");
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> be.mseLoss(mp, mt, losses, 3));
            assertTrue(e.getMessage().contains("(1, 3)") && e.getMessage().contains("column 3"), e.getMessage());
            try (Matrix column = be.allocate(3, 1)) {
                assertThrows(IllegalArgumentException.class, () -> be.crossEntropyLoss(mp, mt, column, 0));
            }
        }
    }

    /** The fused head gives what softmaxRows, crossEntropyLoss and softmaxCrossEntropyGradient give apart. */
    @ParameterizedTest(name = "({0}, {1})")
    @MethodSource("shapes")
    void softmaxCrossEntropyIsTheThreeOpsInOne(int m, int n) {
        double[] z = random(m, n, 8), t = oneHot(m, n);
        double[] p = Reference.softmaxRows(z, m, n);
        double loss = 0;
        double[] grad = new double[p.length];
        for (int i = 0; i < p.length; i++) {
            if (t[i] != 0) loss -= t[i] * Math.log(p[i]);
            grad[i] = (p[i] - t[i]) / m;
        }
        try (Matrix mz = upload(m, n, z); Matrix mt = upload(m, n, t); Matrix mp = be.allocate(m, n);
             Matrix dZ = be.allocate(m, n); Matrix losses = upload(1, 2, new double[] {5, 1})) {
            be.softmaxCrossEntropy(mz, mt, mp, dZ, losses, 1);
            assertClose(p, be.downloadDoubles(mp), "p = softmaxRows(z)");
            assertClose(grad, be.downloadDoubles(dZ), "dZ = (p - t) / m");
            assertClose(new double[] {5, 1 + (m == 0 ? 0 : loss / m)}, be.downloadDoubles(losses), "losses[1] = 1 + crossEntropyLoss");
            be.softmaxCrossEntropy(mz, mt, mz, dZ, losses, 0);
            assertClose(p, be.downloadDoubles(mz), "p written over z");
        }
    }

    private double[] oneHot(int m, int n) {
        double[] t = new double[m * n];
        for (int r = 0; r < m; r++) t[r * n + rng.nextInt(n)] = 1;
        return t;
    }

    // ---- gather and metrics ----------------------------------------------------------------

    @Test
    void gatherRowsCopiesTheIndexedRowsRepeatsIncluded() {
        double[] src = random(17, 33, 1);
        int[] idx = {16, 0, 5, 5, 3};
        try (Matrix ms = upload(17, 33, src); Matrix out = be.allocate(idx.length, 33)) {
            be.gatherRows(ms, idx, out);
            double[] expected = new double[idx.length * 33];
            for (int r = 0; r < idx.length; r++) System.arraycopy(src, idx[r] * 33, expected, r * 33, 33);
            assertClose(expected, be.downloadDoubles(out), "gatherRows");
        }
    }

    /** Indices uploaded once serve many gathers, each from its own offset: an epoch's batches. */
    @Test
    void gatherRowsFromUploadedIndicesTakesTheRowsAtItsOffset() {
        double[] src = random(17, 33, 2);
        int[] order = {3, 16, 0, 5, 5, 9, 1, 2};
        try (Matrix ms = upload(17, 33, src); Matrix out = be.allocate(3, 33); Indices idx = be.uploadIndices(order)) {
            for (int from = 0; from + 3 <= order.length; from += 2) {
                be.gatherRows(ms, idx, from, out);
                double[] expected = new double[3 * 33];
                for (int r = 0; r < 3; r++) System.arraycopy(src, order[from + r] * 33, expected, r * 33, 33);
                assertClose(expected, be.downloadDoubles(out), "gatherRows from " + from);
            }
            int past = order.length - 2;
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> be.gatherRows(ms, idx, past, out));
            assertTrue(e.getMessage().contains("rows " + past + ".." + (past + 3) + " of 8 indices"), e.getMessage());
        }
    }

    @Test
    void gatherRowsRejectsUploadedIndicesOutOfRangeAndClosedIndices() {
        try (Matrix src = be.allocate(4, 2); Matrix out = be.allocate(2, 2)) {
            try (Indices idx = be.uploadIndices(new int[] {1, -1})) {
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> be.gatherRows(src, idx, 0, out));
                assertTrue(e.getMessage().contains("index -1 is outside the 4 rows"), e.getMessage());
            }
            Indices closed = be.uploadIndices(new int[] {0, 1});
            closed.close();
            closed.close();
            assertThrows(IllegalStateException.class, () -> be.gatherRows(src, closed, 0, out));
        }
    }

    @Test
    void gatherRowsRejectsAnIndexOutOfRange() {
        try (Matrix src = be.allocate(4, 2); Matrix out = be.allocate(2, 2)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> be.gatherRows(src, new int[] {1, 4}, out));
            assertTrue(e.getMessage().contains("indices[1] = 4"), e.getMessage());
        }
    }

    @Test
    void argmaxTakesTheFirstOfTiesAndCountCorrectComparesArgmaxes() {
        double[] scores = {0.1, 0.7, 0.7, 0.5,   0.9, 0.0, 0.1, 0.0,   0.2, 0.2, 0.2, 0.3};
        double[] targets = {0, 1, 0, 0,   0, 0, 1, 0,   0, 0, 0, 1};
        try (Matrix s = upload(3, 4, scores); Matrix t = upload(3, 4, targets)) {
            assertArrayEquals(new int[] {1, 0, 3}, be.argmaxRows(s));
            assertEquals(2, be.countCorrect(s, t));
        }
    }

    @Test
    void argmaxAndCountCorrectAgreeWithReferenceOnALargeBatch() {
        double[] scores = random(1000, 10, 1);
        double[] targets = oneHot(1000, 10);
        int expected = 0;
        for (int r = 0; r < 1000; r++) {
            if (Reference.argmax(scores, r, 10) == Reference.argmax(targets, r, 10)) expected++;
        }
        try (Matrix s = upload(1000, 10, scores); Matrix t = upload(1000, 10, targets)) {
            assertEquals(expected, be.countCorrect(s, t));
            int[] argmax = be.argmaxRows(s);
            for (int r = 0; r < 1000; r++) assertEquals(Reference.argmax(scores, r, 10), argmax[r], "row " + r);
        }
    }

    // ---- memory and errors -----------------------------------------------------------------

    @Test
    void uploadThenDownloadReturnsTheSameFloats() {
        float[] values = {1.5f, -2.25f, 3e-8f, Float.MAX_VALUE, -0f, 7f};
        try (Matrix m = be.upload(2, 3, values)) {
            assertArrayEquals(values, be.download(m));
            assertEquals(2, m.rows());
            assertEquals(3, m.cols());
        }
    }

    @Test
    void allocateGivesZeros() {
        try (Matrix m = be.allocate(17, 33)) {
            for (float v : be.download(m)) assertEquals(0f, v);
        }
    }

    @ParameterizedTest(name = "({0}, {1})")
    @MethodSource("shapes")
    void biasSigmoidIsTheSigmoidOfZPlusTheBiasAndLeavesZ(int m, int n) {
        double[] z = random(m, n, 30), bias = random(1, n, 5);
        try (Matrix mz = upload(m, n, z); Matrix mb = upload(1, n, bias); Matrix out = be.allocate(m, n)) {
            be.biasSigmoid(mz, mb, out);
            double[] expected = new double[z.length];
            for (int i = 0; i < z.length; i++) expected[i] = Reference.sigmoid(z[i] + bias[i % n]);
            assertClose(expected, be.downloadDoubles(out), "biasSigmoid");
            assertClose(z, be.downloadDoubles(mz), "biasSigmoid's z");
            be.biasSigmoid(mz, mb, mz);
            assertClose(expected, be.downloadDoubles(mz), "biasSigmoid in place");
        }
    }

    @Test
    void uploadOfTheWrongLengthIsRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> be.upload(2, 3, new float[5]));
        assertTrue(e.getMessage().contains("(2, 3)") && e.getMessage().contains("5"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> be.allocate(-1, 3));
    }

    @Test
    void elementwiseShapeMismatchNamesBothShapes() {
        try (Matrix a = be.allocate(2, 3); Matrix b = be.allocate(3, 2); Matrix row = be.allocate(1, 2)) {
            for (Runnable op : new Runnable[] {() -> be.sigmoid(a, b), () -> be.axpy(1, a, b),
                    () -> be.mseLoss(a, b), () -> be.softmaxCrossEntropyGradient(a, a, b),
                    () -> be.sigmoidGradient(a, b, a), () -> be.sigmoidGradient(a, a, b), () -> be.softmaxRows(a, b),
                    () -> be.logSigmoid(a, b), () -> be.crossEntropyLoss(a, b), () -> be.mseGradient(a, a, b),
                    () -> be.binaryCrossEntropyLoss(a, b), () -> be.countCorrect(a, b)}) {
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class, op::run);
                assertTrue(e.getMessage().contains("(2, 3)") && e.getMessage().contains("(3, 2)"), e.getMessage());
            }
            for (Runnable op : new Runnable[] {() -> be.addRowVector(a, row), () -> be.columnSums(a, row),
                    () -> be.biasSigmoid(a, row, a)}) {
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class, op::run);
                assertTrue(e.getMessage().contains("(1, 3)") && e.getMessage().contains("(1, 2)"), e.getMessage());
            }
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> be.gatherRows(a, new int[] {0}, b));
            assertTrue(e.getMessage().contains("(1, 3)") && e.getMessage().contains("(3, 2)"), e.getMessage());
        }
    }

    @Test
    void aClosedMatrixCannotBeUsedAndClosingAgainDoesNothing() {
        Matrix m = be.allocate(2, 2);
        m.close();
        m.close();
        assertThrows(IllegalStateException.class, () -> be.download(m));
    }

    @Test
    void aThousandAllocateCloseCyclesLeaveNothingLive() {
        int before = be.liveMatrices();
        for (int i = 0; i < 1000; i++) {
            try (Matrix m = be.allocate(100, 100)) {
                assertEquals(before + 1, be.liveMatrices());
            }
        }
        assertEquals(before, be.liveMatrices());
    }

    @Test
    void closingTheBackendClosesItsMatrices() {
        Matrix m = be.allocate(2, 2);
        be.close();
        assertThrows(IllegalStateException.class, () -> be.download(m));
        be = createBackend();
    }
}
