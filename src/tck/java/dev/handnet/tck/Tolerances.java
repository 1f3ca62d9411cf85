package dev.handnet.tck;

import dev.handnet.backend.Precision;

/**
 * The errors {@link BackendContract} allows, for float32 and float64 backends. u is the unit
 * roundoff: 2^-24 = 6.0e-8 for float, 2^-53 = 1.1e-16 for double. The reference computes in
 * double from the very numbers the backend holds, so every difference is the backend's own
 * rounding (and its exp and log).
 *
 * <p>A backend that needs a looser bound overrides {@link BackendContract#tolerance()} or
 * {@link BackendContract#gemmTolerance()} and says why, as these javadocs do: which operation
 * loses what. A bound ten times looser than the derivation hides real bugs (an unstable formula
 * loses far more than 10 u only on the inputs that provoke it).
 */
public final class Tolerances {

    private Tolerances() {
    }

    /**
     * Elementwise ops, row ops and losses, relative to max(1, |reference|), float32: an exp or log
     * correct within 2-4 ulps, then an add and a division, each rounding by u, and the result
     * rounded to float: about 8 u = 5e-7 at worst. Sums (losses, softmax's denominator) are
     * accumulated in double or pairwise in float; 1e-6 leaves a factor of two.
     */
    public static final double FLOAT32 = 1e-6;

    /**
     * GEMM and column sums, relative to sum_p |alpha a_ip b_pj| (+ |beta c_ij|), float32: a dot
     * product of k terms accumulated in float errs by at most about k u of that sum (4.7e-5 for
     * k = 784), and by about sqrt(k) u (1.7e-6) for random signs, as blocked and pairwise sums
     * are. 1e-5 sits between: six times the typical error, below the worst case that only
     * adversarial inputs reach.
     */
    public static final double FLOAT32_GEMM = 1e-5;

    /**
     * Elementwise ops, row ops and losses, float64: exp and log within a few ulps (7e-16) after a
     * short chain of ops; 1e-12 leaves room for a library exp that is good to 1e-15, and still
     * fails any float32 step (6e-8) inside a float64 backend.
     */
    public static final double FLOAT64 = 1e-12;

    /**
     * GEMM, column sums and losses, float64: k u of the magnitude sum is 1.1e-13 for k = 1031, the
     * largest k here, but a loss sums 4.2M terms, and a device reduction that adds a few thousand
     * of them in sequence per work-item errs by some 4000 u = 4.4e-13 (PoCL: 2.8e-13). 1e-12 is
     * still 60,000 times below one float32 rounding (6e-8), so a float32 step in a float64 backend fails.
     */
    public static final double FLOAT64_GEMM = 1e-12;

    /** {@link #FLOAT32} or {@link #FLOAT64}. */
    public static double elementwise(Precision precision) {
        return precision == Precision.FLOAT64 ? FLOAT64 : FLOAT32;
    }

    /** {@link #FLOAT32_GEMM} or {@link #FLOAT64_GEMM}. */
    public static double gemm(Precision precision) {
        return precision == Precision.FLOAT64 ? FLOAT64_GEMM : FLOAT32_GEMM;
    }
}
