package dev.handnet.backend.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** VectorMath's exp and log1p against the JDK's double ones, and the same bits before and after the JIT compiles them. */
class VectorMathTest {

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

    /** Cephes' expf and logf are within 1 to 2 ulps; the range reduction here adds at most one more rounding. */
    private static final int MAX_ULPS = 2;

    @Test
    void expIsWithinTwoUlpsOfMathExpWhereItDoesNotSaturate() {
        float[] x = sweep(-87.33f, 88.37f, 400_000);
        float[] got = apply(VectorMath::exp, x);
        for (int i = 0; i < x.length; i++) assertWithinUlps((float) Math.exp(x[i]), got[i], "exp(" + x[i] + ")");
    }

    /** Beyond the range, exp saturates near 2^127.5 and 2^-126 (see VectorMath.exp); 0 gives 1, NaN NaN. */
    @Test
    void expSaturatesOutsideItsRange() {
        float[] high = {Float.POSITIVE_INFINITY, Float.MAX_VALUE, 100f, 88.38f};
        float[] low = {Float.NEGATIVE_INFINITY, -Float.MAX_VALUE, -100f, -87.34f};
        float top = apply(VectorMath::exp, new float[] {88.37626f})[0];
        for (float v : apply(VectorMath::exp, high)) assertEquals(top, v, "saturated at " + top);
        assertTrue(top > 2.3e38f && top < Float.MAX_VALUE, "top " + top);
        for (float v : apply(VectorMath::exp, low)) assertTrue(v >= 0 && v <= 1.01f * Float.MIN_NORMAL, "saturated low: " + v);
        float[] rest = apply(VectorMath::exp, new float[] {0f, -0f, Float.NaN});
        assertEquals(1f, rest[0]);
        assertEquals(1f, rest[1]);
        assertTrue(Float.isNaN(rest[2]));
    }

    @Test
    void log1pIsWithinTwoUlpsOfMathLog1pOnTheUnitInterval() {
        float[] u = sweep(0f, 1f, 200_000);
        u[0] = Float.MIN_VALUE;
        u[1] = 1e-30f;
        u[2] = 1e-7f;
        float[] got = apply(VectorMath::log1pUnit, u);
        for (int i = 0; i < u.length; i++) assertWithinUlps((float) Math.log1p(u[i]), got[i], "log1p(" + u[i] + ")");
    }

    /**
     * The reason VectorMath exists: the first calls run interpreted, the later ones compiled by
     * C2; both must give the same bits (with the Vector API's EXP they did not).
     */
    @Test
    void theBitsDoNotChangeOnceTheJitHasCompiledTheCode() {
        float[] x = new float[4096];
        SplittableRandom rng = new SplittableRandom(3);
        for (int i = 0; i < x.length; i++) x[i] = (float) rng.nextDouble(-30, 30);
        float[] coldExp = apply(VectorMath::exp, x), coldLog = apply(VectorMath::log1pUnit, apply(VectorMath::exp, abs(x)));
        for (int round = 0; round < 3000; round++) apply(VectorMath::log1pUnit, apply(VectorMath::exp, x));
        float[] hotExp = apply(VectorMath::exp, x), hotLog = apply(VectorMath::log1pUnit, apply(VectorMath::exp, abs(x)));
        for (int i = 0; i < x.length; i++) {
            assertEquals(Float.floatToRawIntBits(coldExp[i]), Float.floatToRawIntBits(hotExp[i]), "exp(" + x[i] + ")");
            assertEquals(Float.floatToRawIntBits(coldLog[i]), Float.floatToRawIntBits(hotLog[i]), "log1p(exp(-|" + x[i] + "|))");
        }
    }

    private static float[] abs(float[] x) {
        float[] out = new float[x.length];
        for (int i = 0; i < x.length; i++) out[i] = -Math.abs(x[i]);
        return out;
    }

    private static void assertWithinUlps(float expected, float got, String what) {
        if (Float.floatToRawIntBits(expected) == Float.floatToRawIntBits(got)) return;
        float ulp = Math.ulp(expected);
        assertTrue(Math.abs(expected - got) <= MAX_ULPS * ulp, what + ": expected " + expected + ", got " + got
                + " (" + Math.abs(expected - got) / ulp + " ulps)");
    }

    /** n evenly spaced floats from lo to hi, rounded up to whole vectors. */
    private static float[] sweep(float lo, float hi, int n) {
        float[] x = new float[(n + S.length() - 1) / S.length() * S.length()];
        for (int i = 0; i < x.length; i++) x[i] = lo + (hi - lo) * i / (x.length - 1);
        return x;
    }

    /** f over x, padded with zeros to whole vectors. */
    private static float[] apply(UnaryOperator<FloatVector> f, float[] x) {
        int n = (x.length + S.length() - 1) / S.length() * S.length();
        float[] in = Arrays.copyOf(x, n), out = new float[n];
        for (int i = 0; i < n; i += S.length()) f.apply(FloatVector.fromArray(S, in, i)).intoArray(out, i);
        return Arrays.copyOf(out, x.length);
    }
}
