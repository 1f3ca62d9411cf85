package dev.handnet.nn;

import dev.handnet.backend.Precision;
import dev.handnet.backend.cpu.CpuBackend;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** Backprop of every layer, activation and head against float64 central differences. */
class GradientCheckTest {

    private static final int[] SIZES = {7, 5, 4, 3};

    @ParameterizedTest
    @EnumSource(Activation.class)
    void mseHeadGradientsMatchFiniteDifferences(Activation hidden) {
        assertExact(Head.MSE, hidden);
    }

    @ParameterizedTest
    @EnumSource(Activation.class)
    void crossEntropyHeadGradientsMatchFiniteDifferences(Activation hidden) {
        assertExact(Head.CE, hidden);
    }

    @ParameterizedTest
    @EnumSource(Activation.class)
    void linearHeadGradientsMatchFiniteDifferences(Activation hidden) {
        assertExact(Head.LINEAR, hidden);
    }

    /** The tutorial's update drops the normalisation's Jacobian, so it must differ visibly from dL/dz. */
    @ParameterizedTest
    @EnumSource(Activation.class)
    void tutorialHeadUpdateIsNotTheExactGradient(Activation hidden) {
        List<GradientCheck.Row> rows = check(Head.TUTORIAL, hidden);
        double worst = rows.stream().mapToDouble(GradientCheck.Row::finiteDifferenceError).max().orElseThrow();
        assertTrue(worst > 0.1, "tutorial update unexpectedly matches the exact gradient: " + worst);
        assertFloat32MatchesFloat64(rows);
    }

    private static void assertExact(Head head, Activation hidden) {
        List<GradientCheck.Row> rows = check(head, hidden);
        for (GradientCheck.Row r : rows) {
            assertTrue(r.finiteDifferenceError() <= GradientCheck.EXACT_TOLERANCE, r.parameter() + ": " + r.finiteDifferenceError());
        }
        assertFloat32MatchesFloat64(rows);
    }

    /** The float32 backend runs the same layer code; rounding alone separates it from float64. */
    private static void assertFloat32MatchesFloat64(List<GradientCheck.Row> rows) {
        for (GradientCheck.Row r : rows) {
            assertTrue(r.backendError() <= GradientCheck.FLOAT32_TOLERANCE, r.parameter() + " float32 vs float64: " + r.backendError());
        }
    }

    private static List<GradientCheck.Row> check(Head head, Activation hidden) {
        try (CpuBackend f32 = new CpuBackend(Precision.FLOAT32, 2)) {
            List<GradientCheck.Row> rows = GradientCheck.run(f32, SIZES, hidden, head, 6, 3);
            assertTrue(rows.size() == 6, "W and b for each of 3 layers");
            return rows;
        }
    }
}
