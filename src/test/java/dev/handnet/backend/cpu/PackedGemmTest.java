package dev.handnet.backend.cpu;

import dev.handnet.tck.Reference;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The packed GEMM against the float64 reference, on shapes just below, at and just above every
 * block size (MR = 8 rows, NR = 2 vectors, the one-vector tail panel, and KC, MC, NC of a small
 * blocking that the shapes cross several times, and of the machine's own), with op(b) packed
 * per thread and packed once for all threads (m above 64 rows), under all four
 * transposes, one and two threads, and alpha/beta pairs training uses and unusual ones.
 */
class PackedGemmTest {

    /** Blocks small enough that shapes of a few dozen rows cross every one of them. */
    private static final PackedGemm.Blocking TINY = new PackedGemm.Blocking(16, 16, 2 * MicroKernel.NR);

    /** float32 rounding of a k-term sum: well above k * 2^-24 relative to sum |a||b| for these k. */
    private static final double TOLERANCE = 1e-5;

    static Stream<Arguments> shapes() {
        int mr = MicroKernel.MR, nr = MicroKernel.NR, lanes = nr / 2;
        PackedGemm.Blocking real = PackedGemm.Blocking.forCaches(CacheSizes.detect());
        int[][] tiny = {{1, 1, 1}, {17, 33, 5}, {mr - 1, 15, lanes - 1}, {mr, 16, lanes}, {mr + 1, 17, lanes + 1},
                {2 * mr + 1, 31, nr - 1}, {3 * mr, 32, nr}, {5 * mr - 1, 33, nr + 1}, {37, 49, 2 * nr + lanes + 3},
                {101, 67, 131}, {97, 45, 2 * nr - 3}, {9, 20, nr + lanes}, {10, 21, nr + lanes + 1}, {1, 53, 4 * nr + 1}, {67, 1, 3}, {13, 97, 5 * nr - 1}};
        int[][] machine = {{real.mc() - 1, real.kc() + 1, nr + 3}, {real.mc() + 1, real.kc() - 1, 7},
                {3, 2 * real.kc() + 5, 3 * nr + lanes - 2}, {1000, 784, 100}, {32, 784, 100}};
        double[][] alphaBeta = {{1, 0}, {1, 1}, {-0.05, 1}, {0.75, 0.5}, {-2, -1.5}};
        Stream.Builder<Arguments> s = Stream.builder();
        int pick = 0;
        for (int[][] set : new int[][][] {tiny, machine}) {
            PackedGemm.Blocking blocking = set == tiny ? TINY : real;
            for (int[] d : set) {
                for (int t = 0; t < 4; t++) {
                    double[] ab = alphaBeta[pick++ % alphaBeta.length];
                    for (int threads : new int[] {1, 2}) {
                        s.add(Arguments.of(blocking, d[0], d[1], d[2], (t & 1) != 0, (t & 2) != 0, ab[0], ab[1], threads));
                    }
                }
            }
        }
        return s.build();
    }

    @ParameterizedTest(name = "{0}: ({1} x {2}) x ({2} x {3}), transA {4}, transB {5}, alpha {6}, beta {7}, {8} threads")
    @MethodSource("shapes")
    void matchesTheFloat64Reference(PackedGemm.Blocking blocking, int m, int k, int n, boolean ta, boolean tb,
                                    double alpha, double beta, int threads) {
        SplittableRandom rng = new SplittableRandom(m * 31L + k * 7L + n);
        double[] a = random(rng, m * k), b = random(rng, k * n), c = random(rng, m * n);
        float[] fa = floats(ta ? Reference.transpose(a, m, k) : a), fb = floats(tb ? Reference.transpose(b, k, n) : b);
        float[] fc = floats(c);
        if (beta == 0) Arrays.fill(fc, Float.NaN);  // beta = 0 must ignore c, NaN included
        try (RowParallel parallel = new RowParallel(threads)) {
            new PackedGemm(parallel, blocking).gemm(ta, tb, (float) alpha, fa, fb, (float) beta, fc, m, k, n);
        }
        double[] expected = Reference.gemm(false, false, alpha, a, b, beta, c, m, k, n);
        double[] scale = Reference.gemmMagnitude(false, false, alpha, a, b, beta, c, m, k, n);
        for (int i = 0; i < expected.length; i++) {
            double allowed = TOLERANCE * scale[i] + 1e-30;
            assertTrue(Math.abs(expected[i] - fc[i]) <= allowed,
                    "c[" + i / n + ", " + i % n + "]: expected " + expected[i] + ", got " + fc[i] + " (allowed " + allowed + ")");
        }
    }

    /** Values exactly representable in float32, so the inputs are the same in both precisions. */
    private static double[] random(SplittableRandom rng, int size) {
        double[] x = new double[size];
        for (int i = 0; i < size; i++) x[i] = (float) (rng.nextDouble() * 2 - 1);
        return x;
    }

    private static float[] floats(double[] x) {
        float[] f = new float[x.length];
        for (int i = 0; i < x.length; i++) f[i] = (float) x[i];
        return f;
    }
}
