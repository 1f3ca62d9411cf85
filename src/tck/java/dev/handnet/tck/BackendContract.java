package dev.handnet.tck;

import dev.handnet.backend.Backend;
import dev.handnet.backend.Indices;
import dev.handnet.backend.Matrix;
import dev.handnet.backend.Precision;
import dev.handnet.tck.OpCase.Operand;
import dev.handnet.tck.Ops.OpCaseSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.Locale;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The contract every {@link Backend} must meet, as JUnit 5 tests: a backend's test class extends
 * this one and says how to open the backend ({@link #createBackend()}); docs/backend-guide.md
 * walks through it.
 *
 * <p>Every op runs on every shape of {@link Ops} against the float64 {@link Reference}: outputs
 * pre-filled with garbage, inputs checked bit-identical afterwards, live matrices counted around
 * every upload and call, in place where the op allows it, and on special values. Then each op
 * must refuse a matrix of another backend and a closed one, and the shape, index and lifetime
 * rules of {@link Backend} are checked one by one.
 */
public abstract class BackendContract {

    /** A fresh backend for one test; closed after it. It may be called more than once per test. */
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

    // ---- every op on every shape -------------------------------------------------------------

    /**
     * The op gives the reference's results on this shape; writes only the operands it may; lets
     * no garbage through; and allocates nothing it keeps: each upload adds one live matrix, the
     * call none, and closing them leaves as many as before.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.handnet.tck.Ops#all")
    void op(OpCaseSource source) {
        OpCase c = source.build();
        List<Operand> operands = c.operands();
        Matrix[] m = new Matrix[operands.size()];
        int live = be.liveMatrices();
        try {
            for (int i = 0; i < m.length; i++) {
                Operand o = operands.get(i);
                m[i] = be.upload(o.rows(), o.cols(), o.before());
                assertEquals(live + i + 1, be.liveMatrices(), "live matrices after uploading " + o.name() + ", " + (i + 1) + " uploads");
            }
            Object result = c.call().run(be, m);
            assertEquals(live + m.length, be.liveMatrices(), c.op() + " left a matrix of its own alive");
            if (c.result() instanceof int[] expected) assertArrayEquals(expected, (int[]) result, c.op() + "'s result");
            else if (c.result() != null) assertEquals(c.result(), result, c.op() + "'s result");
            for (int i = 0; i < m.length; i++) check(c.op(), operands.get(i), be.downloadDoubles(m[i]));
        } finally {
            for (Matrix x : m) {
                if (x != null) x.close();
            }
        }
        assertEquals(live, be.liveMatrices(), "live matrices after closing every operand");
    }

    /** A READ operand must hold its bits; a written one the expected values within tolerance. */
    private void check(String op, Operand o, double[] actual) {
        assertEquals(o.before().length, actual.length, op + ": " + o.name() + "'s length");
        for (int i = 0; i < actual.length; i++) {
            if (o.role() == OpCase.Role.READ) {
                if (Double.doubleToLongBits(o.before()[i]) != Double.doubleToLongBits(actual[i])) {
                    fail(at(op, o, i, actual) + ", but it is an input and held " + o.before()[i]);
                }
                continue;
            }
            double e = o.after()[i];
            if (Double.isNaN(e) || Double.isInfinite(e)) {
                if (Double.compare(e, actual[i]) != 0) fail(at(op, o, i, actual) + ", expected " + e);
                continue;
            }
            double allowed = o.sumScale() != null ? gemmTolerance() * o.sumScale()[i] + 1e-30 : tolerance() * Math.max(1, Math.abs(e));
            if (!(Math.abs(e - actual[i]) <= allowed)) {
                fail(String.format(Locale.ROOT, "%s, expected %s (error %.3g, allowed %.3g)", at(op, o, i, actual), e,
                        Math.abs(e - actual[i]), allowed));
            }
        }
    }

    /** "op: name[r, c] = value". */
    private static String at(String op, Operand o, int i, double[] actual) {
        return op + ": " + o.name() + "[" + i / o.cols() + ", " + i % o.cols() + "] = " + actual[i];
    }

    /** Every op refuses a matrix of another backend, in each operand position, with IllegalArgumentException, before writing anything. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.handnet.tck.Ops#each")
    void opRejectsAMatrixOfAnotherBackend(OpCaseSource source) {
        try (Backend other = createBackend()) {
            refusals(source.build(), IllegalArgumentException.class, "another backend's matrix",
                    (o, bad) -> other.upload(o.rows(), o.cols(), o.before()));
        }
    }

    /** Every op refuses a closed matrix, in each operand position, with IllegalStateException, before writing anything. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.handnet.tck.Ops#each")
    void opRejectsAClosedMatrix(OpCaseSource source) {
        refusals(source.build(), IllegalStateException.class, "a closed matrix", (o, bad) -> {
            Matrix m = be.upload(o.rows(), o.cols(), o.before());
            m.close();
            return m;
        });
    }

    /**
     * Every op refuses an operand of the wrong shape, each operand in turn uploaded transposed (the
     * same number of entries, another shape), with IllegalArgumentException, before writing
     * anything. Not argmaxRows: its one operand has no wrong shape.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.handnet.tck.Ops#eachWithSeveralOperands")
    void opRejectsAnOperandOfTheWrongShape(OpCaseSource source) {
        refusals(source.build(), IllegalArgumentException.class, "an operand of the wrong shape",
                (o, bad) -> be.upload(o.cols(), o.rows(), o.before()));
    }

    private interface BadOperand {
        Matrix make(Operand o, int position);
    }

    /** c with each operand in turn made by bad: the op must throw expected and leave every other operand as it was. */
    private void refusals(OpCase c, Class<? extends RuntimeException> expected, String what, BadOperand bad) {
        List<Operand> operands = c.operands();
        for (int b = 0; b < operands.size(); b++) {
            Matrix[] m = new Matrix[operands.size()];
            try {
                for (int i = 0; i < m.length; i++) {
                    Operand o = operands.get(i);
                    m[i] = i == b ? bad.make(o, i) : be.upload(o.rows(), o.cols(), o.before());
                }
                String as = c.op() + " took " + what + " as " + operands.get(b).name() + " " + m[b].shape();
                assertThrows(expected, () -> c.call().run(be, m), as);
                for (int i = 0; i < m.length; i++) {
                    if (i == b) continue;
                    Operand o = operands.get(i);
                    double[] after = be.downloadDoubles(m[i]);
                    for (int j = 0; j < after.length; j++) {
                        if (Double.doubleToLongBits(after[j]) != Double.doubleToLongBits(o.before()[j])) {
                            fail(c.op() + " wrote " + o.name() + " before refusing " + what + " as " + operands.get(b).name());
                        }
                    }
                }
            } finally {
                for (Matrix x : m) {
                    if (x != null) x.close();
                }
            }
        }
    }

    // ---- shape and index errors ----------------------------------------------------------------

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

    @Test
    void elementwiseShapeMismatchNamesBothShapes() {
        try (Matrix a = be.allocate(2, 3); Matrix b = be.allocate(3, 2); Matrix row = be.allocate(1, 2);
             Matrix row3 = be.allocate(1, 3); Matrix losses = be.allocate(1, 1)) {
            for (Runnable op : new Runnable[] {() -> be.sigmoid(a, b), () -> be.axpy(1, a, b),
                    () -> be.mseLoss(a, b, losses, 0), () -> be.softmaxCrossEntropyGradient(a, a, b),
                    () -> be.sigmoidGradient(a, b, a), () -> be.sigmoidGradient(a, a, b), () -> be.softmaxRows(a, b),
                    () -> be.logSigmoid(a, b), () -> be.crossEntropyLoss(a, b, losses, 0), () -> be.mseGradient(a, a, b),
                    () -> be.binaryCrossEntropyLoss(a, b, losses, 0), () -> be.countCorrect(a, b),
                    () -> be.softmaxCrossEntropy(a, b, a, a, losses, 0), () -> be.softmaxCrossEntropy(a, a, b, a, losses, 0),
                    () -> be.softmaxCrossEntropy(a, a, a, b, losses, 0), () -> be.biasSigmoid(a, row3, b)}) {
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

    /** The loss ops add into their column of a row that keeps what it held: an epoch's batch losses stay on the backend. */
    @Test
    void lossesAddIntoTheirColumnWithoutResettingIt() {
        double[] p = Inputs.probabilities(rng, 7, 10), t = Inputs.oneHot(rng, 7, 10);
        try (Matrix mp = be.upload(7, 10, p); Matrix mt = be.upload(7, 10, t);
             Matrix losses = be.upload(1, 3, new double[] {2.5, -1, 7})) {
            double mse = Reference.mseLoss(p, t, 7), ce = Reference.crossEntropyLoss(p, t, 7);
            double bce = Reference.binaryCrossEntropyLoss(p, t, 7);
            be.mseLoss(mp, mt, losses, 0);
            be.crossEntropyLoss(mp, mt, losses, 0);
            be.crossEntropyLoss(mp, mt, losses, 2);
            be.binaryCrossEntropyLoss(mp, mt, losses, 0);
            assertClose(new double[] {2.5 + mse + ce + bce, -1, 7 + ce}, be.downloadDoubles(losses),
                    "2.5 + three losses, untouched, 7 + one");
            for (int at : new int[] {3, -1}) {
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> be.mseLoss(mp, mt, losses, at));
                assertTrue(e.getMessage().contains("(1, 3)") && e.getMessage().contains("column " + at), e.getMessage());
            }
            try (Matrix column = be.allocate(3, 1)) {
                assertThrows(IllegalArgumentException.class, () -> be.crossEntropyLoss(mp, mt, column, 0));
            }
        }
    }

    /** The read-back forms (one loss, read at once) give the row form's loss and leave no matrix behind. */
    @Test
    void lossReadBackFormsMatchTheRowFormsAndKeepNoMatrix() {
        double[] p = Inputs.probabilities(rng, 5, 4), t = Inputs.oneHot(rng, 5, 4);
        try (Matrix mp = be.upload(5, 4, p); Matrix mt = be.upload(5, 4, t)) {
            int live = be.liveMatrices();
            assertClose(Reference.mseLoss(p, t, 5), be.mseLoss(mp, mt), "mseLoss(y, t)");
            assertClose(Reference.crossEntropyLoss(p, t, 5), be.crossEntropyLoss(mp, mt), "crossEntropyLoss(p, t)");
            assertClose(Reference.binaryCrossEntropyLoss(p, t, 5), be.binaryCrossEntropyLoss(mp, mt), "binaryCrossEntropyLoss(p, t)");
            assertEquals(live, be.liveMatrices(), "matrices left by the read-back losses");
        }
    }

    /** The clamp at FLT_MIN stops infinities, not NaN: a NaN probability (a run gone bad) must show in the loss. */
    @Test
    void lossesOfANaNProbabilityAreNaN() {
        try (Matrix p = be.upload(1, 2, new double[] {Double.NaN, 0.5}); Matrix t = be.upload(1, 2, new double[] {1, 0});
             Matrix z = be.upload(1, 2, new double[] {Double.NaN, 0}); Matrix out = be.allocate(1, 2);
             Matrix dZ = be.allocate(1, 2); Matrix losses = be.allocate(1, 1)) {
            assertTrue(Double.isNaN(be.crossEntropyLoss(p, t)), "crossEntropyLoss");
            assertTrue(Double.isNaN(be.binaryCrossEntropyLoss(p, t)), "binaryCrossEntropyLoss");
            assertTrue(Double.isNaN(be.mseLoss(p, t)), "mseLoss");
            be.softmaxCrossEntropy(z, t, out, dZ, losses, 0);
            assertTrue(Double.isNaN(be.downloadDoubles(losses)[0]), "softmaxCrossEntropy");
        }
    }

    @Test
    void gatherRowsRejectsIndicesOutsideTheSourceAndRangesOutsideTheIndices() {
        try (Matrix src = be.allocate(4, 2); Matrix out = be.allocate(2, 2)) {
            for (int bad : new int[] {4, -1, Integer.MIN_VALUE}) {
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                        () -> be.gatherRows(src, new int[] {1, bad}, out));
                assertTrue(e.getMessage().contains("indices[1] = " + bad), e.getMessage());
                try (Indices idx = be.uploadIndices(new int[] {1, bad})) {
                    e = assertThrows(IllegalArgumentException.class, () -> be.gatherRows(src, idx, 0, out));
                    assertTrue(e.getMessage().contains("index " + bad + " is outside the 4 rows"), e.getMessage());
                }
            }
            try (Indices idx = be.uploadIndices(new int[] {0, 1, 2, 3, 0, 1, 2, 3})) {
                for (int from : new int[] {7, -1, Integer.MAX_VALUE}) {
                    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> be.gatherRows(src, idx, from, out));
                    assertTrue(e.getMessage().contains("rows " + from + ".." + ((long) from + 2) + " of 8 indices"), e.getMessage());
                }
            }
            Indices closed = be.uploadIndices(new int[] {0, 1});
            closed.close();
            closed.close();
            assertThrows(IllegalStateException.class, () -> be.gatherRows(src, closed, 0, out));
            try (Backend other = createBackend(); Indices foreign = other.uploadIndices(new int[] {0, 1})) {
                assertThrows(IllegalArgumentException.class, () -> be.gatherRows(src, foreign, 0, out),
                        "gatherRows took another backend's indices");
            }
        }
    }

    /** uploadIndices copies the caller's array: changing it afterwards changes nothing on the backend. */
    @Test
    void gatherRowsUsesTheIndicesAsUploaded() {
        double[] src = Inputs.uniform(rng, 4 * 3, 1);
        int[] order = {3, 1};
        try (Matrix s = be.upload(4, 3, src); Matrix out = be.allocate(2, 3); Indices idx = be.uploadIndices(order)) {
            order[0] = 0;
            be.gatherRows(s, idx, 0, out);
            assertArrayEquals(Reference.gatherRows(src, 3, new int[] {3, 1}, 0, 2), be.downloadDoubles(out));
        }
    }

    @Test
    void argmaxRowsTakesTheFirstOfTiesAndCountCorrectComparesArgmaxes() {
        double[] scores = {0.1, 0.7, 0.7, 0.5,   0.9, 0.0, 0.1, 0.0,   0.2, 0.2, 0.2, 0.3};
        double[] targets = {0, 1, 0, 0,   0, 0, 1, 0,   0, 0, 0, 1};
        try (Matrix s = be.upload(3, 4, scores); Matrix t = be.upload(3, 4, targets)) {
            assertArrayEquals(new int[] {1, 0, 3}, be.argmaxRows(s));
            assertEquals(2, be.countCorrect(s, t));
        }
    }

    // ---- memory and lifetime ---------------------------------------------------------------------

    @Test
    void uploadThenDownloadReturnsTheSameFloatsInTheirShape() {
        float[] values = {1.5f, -2.25f, 3e-8f, Float.MAX_VALUE, -0f, 7f, 1e-40f, Float.NaN, Float.NEGATIVE_INFINITY, 0.1f};
        try (Matrix m = be.upload(2, 5, values)) {
            assertArrayEquals(values, be.download(m));
            assertEquals(2, m.rows());
            assertEquals(5, m.cols());
        }
    }

    /** A float64 backend keeps doubles (gradient checks need them); a float32 one rounds each to float. */
    @Test
    void uploadKeepsWhatThePrecisionHolds() {
        double[] values = {1 + 0x1p-40, Math.PI, -1e-300, 1e300};
        try (Matrix m = be.upload(1, 4, values)) {
            double[] back = be.downloadDoubles(m);
            for (int i = 0; i < values.length; i++) {
                double expected = be.precision() == Precision.FLOAT64 ? values[i] : (float) values[i];
                assertEquals(expected, back[i], be.precision() + ": " + values[i] + " came back as " + back[i]);
            }
        }
    }

    /** upload copies the caller's array, and download hands out a copy: neither array stays tied to the matrix. */
    @Test
    void uploadAndDownloadCopy() {
        float[] values = {1, 2, 3, 4};
        try (Matrix m = be.upload(2, 2, values)) {
            values[0] = 99;
            be.download(m)[1] = 99;
            be.downloadDoubles(m)[2] = 99;
            assertArrayEquals(new float[] {1, 2, 3, 4}, be.download(m));
        }
    }

    @Test
    void allocateGivesZerosInItsShape() {
        try (Matrix m = be.allocate(17, 33)) {
            assertEquals(17, m.rows());
            assertEquals(33, m.cols());
            for (float v : be.download(m)) assertEquals(0f, v);
        }
    }

    @Test
    void uploadOfTheWrongLengthAndNegativeShapesAreRejected() {
        int live = be.liveMatrices();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> be.upload(2, 3, new float[5]));
        assertTrue(e.getMessage().contains("(2, 3)") && e.getMessage().contains("5"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> be.upload(2, 3, new double[7]));
        assertThrows(IllegalArgumentException.class, () -> be.allocate(-1, 3));
        assertThrows(IllegalArgumentException.class, () -> be.allocate(3, -1));
        assertEquals(live, be.liveMatrices(), "a refused upload or allocate left a matrix alive");
    }

    @Test
    void aClosedMatrixCannotBeReadAndClosingAgainDoesNothing() {
        Matrix m = be.allocate(2, 2);
        m.close();
        m.close();
        assertThrows(IllegalStateException.class, () -> be.download(m));
        assertThrows(IllegalStateException.class, () -> be.downloadDoubles(m));
    }

    @Test
    void aThousandAllocateUploadCloseCyclesLeaveNothingLive() {
        int before = be.liveMatrices();
        for (int i = 0; i < 1000; i++) {
            try (Matrix m = be.allocate(100, 100); Matrix u = be.upload(10, 10, new float[100])) {
                assertEquals(before + 2, be.liveMatrices());
            }
        }
        assertEquals(before, be.liveMatrices());
    }

    @Test
    void closingTheBackendClosesItsMatrices() {
        Matrix m = be.allocate(2, 2);
        be.upload(1, 1, new float[] {1});
        be.close();
        assertEquals(0, be.liveMatrices(), "live matrices after the backend closed");
        assertThrows(IllegalStateException.class, () -> be.download(m));
        be = createBackend();
    }

    // ---- helpers ---------------------------------------------------------------------------------

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
}
