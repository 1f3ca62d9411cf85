package dev.handnet.nn;

import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.ToDoubleFunction;
import java.util.function.ToLongFunction;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * NumpyRandom against values numpy 1.24.2 drew (src/test/resources/numpy, written by
 * scripts/numpy-fixtures.py; each file's first line is the numpy code). Integers and uniforms
 * must match bit for bit; normals to within NORMAL_ULPS, since Java's log and glibc's round
 * differently now and then (see NumpyRandom.nextGaussian; up to 2 ulps were seen).
 */
class NumpyRandomTest {

    private static final long NORMAL_ULPS = 4;

    @Test
    void seedingMatchesNumpysRawMt19937Output() {
        NumpyRandom rng = new NumpyRandom(0);
        long[] expected = longs("raw32-seed0");
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], rng.nextInt() & 0xFFFFFFFFL, "draw " + i);
        }
    }

    @Test
    void nextLongIsTwo32BitDrawsHighThenLow() {
        long[] raw = longs("raw32-seed0");
        NumpyRandom rng = new NumpyRandom(0);
        assertEquals(raw[0] << 32 | raw[1], rng.nextLong());
        assertEquals(raw[2] << 32 | raw[3], rng.nextLong());
    }

    @Test
    void nextDoubleIsRandomSample() {
        assertDoubles("random_sample-seed0", 0, 0, NumpyRandom::nextDouble);
        assertDoubles("random-4x1-seed37", 37, 0, NumpyRandom::nextDouble);
    }

    @Test
    void theLargestSeedIsAccepted() {
        assertDoubles("random-seed4294967295", 0xFFFFFFFFL, 0, NumpyRandom::nextDouble);
    }

    @Test
    void uniformIsNumpyUniform() {
        assertDoubles("uniform-seed1", 1, 0, r -> r.uniform(-0.5, 2.0));
    }

    @Test
    void nextGaussianIsRandn() {
        assertDoubles("randn-seed21", 21, NORMAL_ULPS, NumpyRandom::nextGaussian);
    }

    @Test
    void nextGaussianWithMeanAndStddevIsNormal() {
        assertDoubles("normal-seed3", 3, NORMAL_ULPS, r -> r.nextGaussian(2.5, 0.1));
    }

    /** A 784x100 layer of normals takes exactly as many draws as numpy's: the next uniform agrees. */
    @Test
    void aLayerOfNormalsStaysInStepWithNumpy() {
        NumpyRandom rng = new NumpyRandom(21);
        double[] all = new double[784 * 100];
        for (int i = 0; i < all.length; i++) all[i] = rng.nextGaussian();
        double[] expected = doubles("randn-78400-seed21");
        for (int i = 0; i < 10; i++) {
            assertUlps(expected[i], all[i], NORMAL_ULPS, "first " + i);
            assertUlps(expected[10 + i], all[all.length - 10 + i], NORMAL_ULPS, "last " + i);
        }
        assertUlps(expected[20], rng.nextDouble(), 0, "uniform after the normals");
    }

    /** The examples' initial weights (and the linear example's points) are numpy's to the last bit. */
    @Test
    void theExamplesDrawsAreNumpysExactly() {
        assertDoubles("iris-twolayer-weights-seed37", 37, 0, NumpyRandom::nextGaussian);
        assertDoubles("tiny-network-weights-seed1", 1, 0, NumpyRandom::nextGaussian);
        NumpyRandom rng = new NumpyRandom(1);
        double[] expected = doubles("linear-points-then-weights-seed1");
        for (int i = 0; i < 200; i++) assertUlps(expected[i], rng.uniform(0, 1), 0, "point coordinate " + i);
        for (int i = 200; i < expected.length; i++) assertUlps(expected[i], rng.nextGaussian(), 0, "weight " + (i - 200));
    }

    /** The MNIST tutorial: W1 (784, 100), W2 (100, 10), then the first epoch's randint(60000, size=60000). */
    @Test
    void theMnistTutorialsWeightsAndBatchesFollowNumpy() {
        NumpyRandom rng = new NumpyRandom(21);
        for (int i = 0; i < 784 * 100; i++) rng.nextGaussian();
        double[] w2 = doubles("mnist-tutorial-w2-seed21");
        for (int i = 0; i < w2.length; i++) assertUlps(w2[i], rng.nextGaussian(), NORMAL_ULPS, "W2 " + i);
        int[] batch = new int[60000];
        for (int i = 0; i < batch.length; i++) batch[i] = rng.nextInt(60000);
        long[] expected = longs("mnist-tutorial-batches-seed21");
        for (int i = 0; i < 20; i++) {
            assertEquals(expected[i], batch[i], "index " + i);
            assertEquals(expected[20 + i], batch[60000 - 20 + i], "index " + (60000 - 20 + i));
        }
    }

    @Test
    void theCachedSecondNormalCarriesOverToTheNextCall() {
        // randn(3) leaves the partner of its third value cached; randn(1) returns it.
        assertDoubles("randn-3-then-1-seed21", 21, NORMAL_ULPS, NumpyRandom::nextGaussian);
    }

    @Test
    void theCachedNormalSurvivesUniformDrawsInBetween() {
        NumpyRandom rng = new NumpyRandom(8);
        double[] expected = doubles("randn-random-randn-seed8");
        for (int i = 0; i < 3; i++) assertUlps(expected[i], rng.nextGaussian(), NORMAL_ULPS, "randn " + i);
        for (int i = 3; i < 5; i++) assertUlps(expected[i], rng.nextDouble(), 0, "random " + i);
        assertUlps(expected[5], rng.nextGaussian(), NORMAL_ULPS, "cached randn");
    }

    @Test
    void nextIntWithBoundIsRandint() {
        assertInts("randint-60000-seed21", 21, r -> r.nextInt(60000));
        assertInts("randint-7-seed5", 5, r -> r.nextInt(7));
    }

    @Test
    void aBoundOfOneReturnsZeroWithoutDrawing() {
        NumpyRandom rng = new NumpyRandom(5);
        List<String> expected = fixture("randint-1-then-random-seed5");
        for (int i = 0; i < 3; i++) assertEquals(Long.parseLong(expected.get(i)), rng.nextInt(1));
        for (int i = 3; i < 6; i++) assertUlps(Double.parseDouble(expected.get(i)), rng.nextDouble(), 0, "random " + i);
    }

    @Test
    void nextIntWithOriginAndBoundIsRandintLowHigh() {
        assertInts("randint-low-high-seed9", 9, r -> r.nextInt(-5, 5));
        assertInts("randint-int-range-seed9", 9, r -> r.nextInt(Integer.MIN_VALUE, Integer.MAX_VALUE));
    }

    @Test
    void seedsOutsideTheUnsigned32BitRangeAreRejected() {
        assertMessage("seed -1 outside [0, 2^32 - 1]", () -> new NumpyRandom(-1));
        assertMessage("seed 4294967296 outside [0, 2^32 - 1]", () -> new NumpyRandom(1L << 32));
    }

    @Test
    void boundsWithNothingToDrawAreRejected() {
        NumpyRandom rng = new NumpyRandom(0);
        assertMessage("bound 0 must be at least 1", () -> rng.nextInt(0));
        assertMessage("bound -3 must be at least 1", () -> rng.nextInt(-3));
        assertMessage("origin 4 must be below bound 4", () -> rng.nextInt(4, 4));
        assertMessage("stddev -1.0 is negative", () -> rng.nextGaussian(0, -1));
        assertMessage("uniform(-Infinity, 0.0): range Infinity is not finite",
                () -> rng.uniform(Double.NEGATIVE_INFINITY, 0));
    }

    private static void assertDoubles(String name, long seed, long maxUlps, ToDoubleFunction<NumpyRandom> draw) {
        double[] expected = doubles(name);
        NumpyRandom rng = new NumpyRandom(seed);
        for (int i = 0; i < expected.length; i++) {
            assertUlps(expected[i], draw.applyAsDouble(rng), maxUlps, name + " value " + i);
        }
    }

    /** actual is at most maxUlps doubles away from expected; 0 means the same bits. */
    private static void assertUlps(double expected, double actual, long maxUlps, String what) {
        long apart = Math.abs(Double.doubleToLongBits(expected) - Double.doubleToLongBits(actual));
        assertTrue(Math.signum(expected) == Math.signum(actual) && apart <= maxUlps,
                () -> what + ": expected " + expected + ", was " + actual + " (" + apart + " ulps apart)");
    }

    private static void assertInts(String name, long seed, ToLongFunction<NumpyRandom> draw) {
        long[] expected = longs(name);
        NumpyRandom rng = new NumpyRandom(seed);
        long[] actual = new long[expected.length];
        for (int i = 0; i < actual.length; i++) actual[i] = draw.applyAsLong(rng);
        assertArrayEquals(expected, actual, name);
    }

    private static void assertMessage(String message, Runnable call) {
        assertEquals(message, assertThrows(IllegalArgumentException.class, call::run).getMessage());
    }

    private static double[] doubles(String name) {
        return fixture(name).stream().mapToDouble(Double::parseDouble).toArray();
    }

    private static long[] longs(String name) {
        return fixture(name).stream().mapToLong(Long::parseLong).toArray();
    }

    /** The value lines of src/test/resources/numpy/NAME.txt, without the '#' header. */
    private static List<String> fixture(String name) {
        String path = "/numpy/" + name + ".txt";
        InputStream in = NumpyRandomTest.class.getResourceAsStream(path);
        assertNotNull(in, "missing fixture " + path);
        try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            List<String> values = r.lines().filter(l -> !l.startsWith("#") && !l.isBlank()).toList();
            assertTrue(values.size() > 0, "no values in " + path);
            return values;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
