package dev.handnet.tck;

import java.util.Random;

/**
 * The values the contract feeds the ops. Each is a float, so a float32 backend holds exactly
 * the numbers the float64 reference computes from.
 */
public final class Inputs {

    /** Every kind of float an op can meet: zeros, subnormals, the exp overflow edge, huge, infinite, NaN. */
    public static final double[] SPECIAL = {0, -0.0, 1e-40f, -1e-40f, Float.MIN_VALUE, 1000, -1000, 1e30f, -1e30f,
            88.8f, -88.8f, 20, -20, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.NaN};

    /** What outputs are filled with before an op writes them: an op must overwrite, not add to or scale, them. */
    private static final double[] GARBAGE = {Double.NaN, 7.5e3, -1e30f, 3.25, -0.0, 12345.678f, Double.NEGATIVE_INFINITY};

    private Inputs() {
    }

    /** count uniform values in [-scale, scale]. */
    public static double[] uniform(Random rng, int count, double scale) {
        double[] v = new double[count];
        for (int i = 0; i < count; i++) v[i] = (float) ((2 * rng.nextDouble() - 1) * scale);
        return v;
    }

    /** count uniform values in [0, 1]. */
    public static double[] unit(Random rng, int count) {
        double[] v = new double[count];
        for (int i = 0; i < count; i++) v[i] = (float) rng.nextDouble();
        return v;
    }

    /** count whole numbers in [0, levels): rows of them tie often, as argmax must handle. */
    public static double[] levels(Random rng, int count, int levels) {
        double[] v = new double[count];
        for (int i = 0; i < count; i++) v[i] = rng.nextInt(levels);
        return v;
    }

    /** count values each 0 or 1. */
    public static double[] bits(Random rng, int count) {
        return levels(rng, count, 2);
    }

    /** (m, n) rows with one 1 each, at a random column. */
    public static double[] oneHot(Random rng, int m, int n) {
        double[] t = new double[m * n];
        for (int r = 0; r < m; r++) t[r * n + rng.nextInt(n)] = 1;
        return t;
    }

    /** (m, n) rows of probabilities: softmax of logits in [-5, 5], each rounded to float. */
    public static double[] probabilities(Random rng, int m, int n) {
        double[] p = Reference.softmaxRows(uniform(rng, m * n, 5), m, n);
        for (int i = 0; i < p.length; i++) p[i] = (float) p[i];
        return p;
    }

    /** count values of the garbage pattern. */
    public static double[] garbage(int count) {
        double[] v = new double[count];
        for (int i = 0; i < count; i++) v[i] = GARBAGE[i % GARBAGE.length];
        return v;
    }

    /** count values of {@link #SPECIAL} in turn, the infinities and NaN left out when finite. */
    public static double[] special(int count, boolean finite) {
        double[] v = new double[count];
        for (int i = 0, j = 0; i < count; j++) {
            double s = SPECIAL[j % SPECIAL.length];
            if (!finite || Double.isFinite(s)) v[i++] = s;
        }
        return v;
    }
}
