package dev.handnet.backend.cpu;

import dev.handnet.backend.Backend;
import dev.handnet.backend.Matrix;
import dev.handnet.backend.Precision;
import dev.handnet.data.Dataset;
import dev.handnet.data.Mnist;
import dev.handnet.nn.Activation;
import dev.handnet.nn.Architecture;
import dev.handnet.nn.Head;
import dev.handnet.nn.SeededTraining;
import dev.handnet.nn.TrainConfig;
import dev.handnet.nn.WeightInit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.function.IntFunction;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The CPU backend gives the same bits whatever its thread count, and whether the JIT has
 * compiled its code yet: every product and every sum of an element of c is computed by one
 * thread in an order that depends on the shapes alone (threads split c into whole MR x NR
 * tiles; the k-blocking depends on k and the cache sizes; column sums and losses run on one
 * thread), and exp and log1p are {@link VectorMath}'s, whose bits do not depend on the JIT
 * (with the Vector API's EXP, the first run in a JVM differed from later ones: this test failed).
 * These tests train from one seed with 1, 2, 3 and 5 threads, then 1 again, and compare every
 * weight bit for bit, with batches large enough that the GEMMs do split (a GEMM stays on one
 * thread below 4M multiply-adds per thread, RowParallel).
 */
class CpuDeterminismTest {

    /** The first run, on one thread, is the reference: the JVM is coldest then. The last runs on one thread again, warm. */
    private static final int[] THREADS = {1, 2, 3, 5, 1};

    private static Dataset train;

    @BeforeAll
    static void load() {
        train = Mnist.load(Path.of(System.getenv().getOrDefault("HANDNET_DATA", "data"), "mnist")).train().head(3000);
    }

    /**
     * Cross-entropy, shuffled epochs of 384 rows (the last batch of each epoch has 312): the
     * forward product (384 x 784 x 64) splits c by rows with op(b) packed once for all threads.
     */
    static final SeededTraining.Recipe CE = new SeededTraining.Recipe("ce, shuffle",
            new Architecture(new int[] {784, 64, 10}, Activation.SIGMOID, Head.CE, true),
            WeightInit.GLOROT, 0, new TrainConfig(1.0, 384, 2, TrainConfig.Batching.SHUFFLE, 0), 5);

    /**
     * The tutorial's head (normalised sigmoid, MSE), N(0, 1) weights, biases 0.1, random batches
     * of 100: the forward product (100 x 784 x 256) has more columns than rows, so the threads split c by columns.
     */
    static final SeededTraining.Recipe TUTORIAL = new SeededTraining.Recipe("tutorial head, random batches",
            new Architecture(new int[] {784, 256, 10}, Activation.SIGMOID, Head.TUTORIAL, true),
            WeightInit.NORMAL, 0.1, new TrainConfig(2.0, 100, 2, TrainConfig.Batching.RANDOM, 15), 21);

    /** As TUTORIAL with 5 batches an epoch, for float64's GEMM (a plain loop on one thread: 15 batches took 9 s). */
    static final SeededTraining.Recipe TUTORIAL_SHORT = new SeededTraining.Recipe(TUTORIAL.name(), TUTORIAL.arch(),
            TUTORIAL.init(), TUTORIAL.biasInit(), new TrainConfig(2.0, 100, 2, TrainConfig.Batching.RANDOM, 5), TUTORIAL.seed());

    static Stream<Arguments> runs() {
        IntFunction<Backend> simd = t -> new CpuBackend(Precision.FLOAT32, t), plain = t -> new CpuBackend(Precision.FLOAT32, t, false),
                float64 = t -> new CpuBackend(Precision.FLOAT64, t);
        return Stream.of(
                Arguments.of("float32, simd", CE.name(), CE, 3000, simd),
                Arguments.of("float32, simd", TUTORIAL.name(), TUTORIAL, 3000, simd),
                Arguments.of("float32, plain loops", CE.name(), CE, 1500, plain),
                Arguments.of("float64", CE.name(), CE, 1000, float64),
                Arguments.of("float64", TUTORIAL.name(), TUTORIAL_SHORT, 1000, float64));
    }

    @ParameterizedTest(name = "{0}, {1}")
    @MethodSource("runs")
    void theSameSeedGivesTheSameWeightsOnAnyNumberOfThreads(String variant, String name, SeededTraining.Recipe recipe, int rows,
                                                            IntFunction<Backend> backend) {
        Dataset data = train.head(rows);
        SeededTraining.Outcome one;
        try (Backend be = backend.apply(1)) {
            one = SeededTraining.run(be, data, recipe);
        }
        for (int t : Arrays.copyOfRange(THREADS, 1, THREADS.length)) {
            try (Backend be = backend.apply(t)) {
                SeededTraining.assertBitIdentical(one, SeededTraining.run(be, data, recipe), variant + ", " + recipe.name());
            }
        }
    }

    /**
     * The packed GEMM alone, bit for bit across thread counts, on shapes that take each way of
     * splitting: by rows with op(b) shared (1000 x 784 x 100), by rows with op(b) packed per
     * thread (k above the shared limit), by columns (64 x 784 x 1000), several k-blocks and edge
     * tiles on every side, every transpose, beta 0 and 1.
     */
    @Test
    void theGemmGivesTheSameBitsOnAnyNumberOfThreads() {
        int[][] shapes = {{1000, 784, 100}, {333, 2051, 77}, {64, 784, 1000}, {45, 1500, 517}, {2000, 3000, 30}};
        for (int[] s : shapes) {
            for (int transposes = 0; transposes < 4; transposes++) {
                for (double beta : new double[] {0, 1}) {
                    boolean ta = (transposes & 1) != 0, tb = (transposes & 2) != 0;
                    float[] expected = gemm(1, s, ta, tb, beta);
                    for (int t : THREADS) {
                        float[] got = gemm(t, s, ta, tb, beta);
                        for (int i = 0; i < expected.length; i++) {
                            if (Float.floatToRawIntBits(expected[i]) != Float.floatToRawIntBits(got[i])) {
                                assertEquals(expected[i], got[i], String.format("%d x %d x %d, transA %b, transB %b, beta %s, "
                                        + "%d threads: c[%d]", s[0], s[1], s[2], ta, tb, beta, t, i));
                            }
                        }
                    }
                }
            }
        }
    }

    /** c = -0.5 op(a) op(b) + beta c on t threads, from operands drawn from one seed per shape.  s: {m, k, n}. */
    private static float[] gemm(int threads, int[] s, boolean transA, boolean transB, double beta) {
        int m = s[0], k = s[1], n = s[2];
        SplittableRandom rng = new SplittableRandom(m * 31L + k * 7L + n);
        try (CpuBackend be = new CpuBackend(Precision.FLOAT32, threads)) {
            Matrix a = transA ? be.upload(k, m, floats(rng, k * m)) : be.upload(m, k, floats(rng, m * k));
            Matrix b = transB ? be.upload(n, k, floats(rng, n * k)) : be.upload(k, n, floats(rng, k * n));
            Matrix c = be.upload(m, n, floats(rng, m * n));
            be.gemm(transA, transB, -0.5, a, b, beta, c);
            return be.download(c);
        }
    }

    private static float[] floats(SplittableRandom rng, int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = (float) rng.nextDouble(-1, 1);
        return x;
    }
}
