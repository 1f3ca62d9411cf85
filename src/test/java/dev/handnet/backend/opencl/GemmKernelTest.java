package dev.handnet.backend.opencl;

import dev.handnet.backend.Matrix;
import dev.handnet.backend.Precision;
import dev.handnet.backend.Reference;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Random;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * kernels/gemm.cl built with each configuration of a small grid that covers every parameter's
 * code paths (vector widths, staging of A, B, both and neither, groups along m, n and both,
 * unrolling, k tiles), against the float64 reference: every transposition, odd shapes, alpha and
 * beta, beta = 0 over a C of NaN, and float64.
 */
class GemmKernelTest {

    /** Each build costs PoCL seconds: float64 for two configurations (staged and not), float32 for all. */
    static Stream<Arguments> configs() {
        GemmConfig cpu = new GemmConfig(64, 32, 16, 8, 1, 16, false, false, 4), staged = new GemmConfig(32, 32, 8, 4, 4, 4, true, true, 8);
        return Stream.of(
                Arguments.of(cpu, Precision.FLOAT32),
                Arguments.of(new GemmConfig(16, 32, 16, 1, 1, 16, false, true, 4), Precision.FLOAT32),
                Arguments.of(staged, Precision.FLOAT32),
                Arguments.of(new GemmConfig(16, 64, 32, 2, 8, 8, true, false, 1), Precision.FLOAT32),
                Arguments.of(new GemmConfig(16, 16, 16, 16, 16, 1, true, true, 16), Precision.FLOAT32),
                Arguments.of(new GemmConfig(8, 16, 8, 1, 2, 2, false, false, 2), Precision.FLOAT32),
                Arguments.of(new GemmConfig(64, 64, 16, 16, 16, 4, true, true, 4), Precision.FLOAT32),
                Arguments.of(new GemmConfig(64, 32, 16, 8, 1, 8, false, true, 4), Precision.FLOAT32),
                Arguments.of(cpu, Precision.FLOAT64),
                Arguments.of(staged, Precision.FLOAT64));
    }

    /**
     * (m, k, n): ones, primes around the tile sizes, and the tutorial's batch. Not k = 0: the
     * backend scales C without the kernel then (PoCL ran one staged-B configuration's store twice
     * when its barrier loop ran no iterations, so C came out as beta^2 C).
     */
    private static final int[][] SHAPES = {{1, 1, 1}, {7, 33, 65}, {65, 7, 33}, {33, 129, 7}, {129, 65, 1}, {1, 1000, 17},
            {1000, 100, 10}};

    @ParameterizedTest(name = "{0}, {1}")
    @MethodSource("configs")
    void everyTranspositionOfOddShapesMatchesTheReference(GemmConfig config, Precision precision) {
        DeviceInfo device = OpenClTestDevice.get();
        if (precision == Precision.FLOAT64 && !device.float64()) return;
        double tolerance = precision == Precision.FLOAT64 ? 1e-13 : 1e-5;
        Random random = new Random(3);
        try (OpenClBackend be = new OpenClBackend(device, precision)) {
            GemmProgram program = new GemmProgram(be.runtime(), config);
            for (int[] s : SHAPES) {
                for (int t = 0; t < 4; t++) {
                    boolean ta = (t & 1) != 0, tb = (t & 2) != 0;
                    for (double beta : new double[] {0, 0.5}) check(be, program, s[0], s[1], s[2], ta, tb, beta, random, tolerance);
                }
            }
        }
    }

    private static void check(OpenClBackend be, GemmProgram program, int m, int k, int n, boolean ta, boolean tb, double beta,
                              Random random, double tolerance) {
        double[] a = GemmCase.uniform(m * k, random), b = GemmCase.uniform(k * n, random);
        double[] c = beta == 0 ? GemmCase.nan(m * n) : GemmCase.uniform(m * n, random);
        double alpha = 0.75;
        try (Matrix ma = ta ? be.upload(k, m, Reference.transpose(a, m, k)) : be.upload(m, k, a);
             Matrix mb = tb ? be.upload(n, k, Reference.transpose(b, k, n)) : be.upload(k, n, b);
             Matrix mc = be.upload(m, n, c)) {
            program.run(ta, tb, alpha, (ClMatrix) ma, (ClMatrix) mb, beta, (ClMatrix) mc);
            double[] expected = Reference.gemm(false, false, alpha, a, b, beta, c, m, k, n);
            double[] scale = Reference.gemmMagnitude(false, false, alpha, a, b, m, k, n);
            double[] got = be.downloadDoubles(mc);
            for (int i = 0; i < got.length; i++) {
                double allowed = tolerance * (scale[i] + (beta == 0 ? 0 : Math.abs(beta * c[i]))) + 1e-30;
                assertTrue(Math.abs(got[i] - expected[i]) <= allowed, String.format("%s %d x %d x %d transA %b transB %b beta %s:"
                        + " c[%d] = %s, expected %s", program.config(), m, k, n, ta, tb, beta, i, got[i], expected[i]));
            }
        }
    }
}
