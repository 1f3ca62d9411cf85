package dev.handnet.backend.opencl;

import dev.handnet.backend.Precision;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Random;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertNull;

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
        String wrong = KernelSweep.gemm(be, program, m, k, n, ta, tb, beta, random, tolerance);
        assertNull(wrong, wrong);
    }
}
