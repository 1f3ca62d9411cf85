package dev.handnet.backend.opencl;

import java.util.Locale;

/**
 * The classes of GEMM shapes whose kernel parameters are chosen (and tuned) apart: small or
 * large products, each in the four transpositions, since each transposition is its own kernel.
 */
public enum GemmClass {
    SMALL_NN, SMALL_TN, SMALL_NT, SMALL_TT, LARGE_NN, LARGE_TN, LARGE_NT, LARGE_TT;

    /**
     * Products of at most this many multiply-adds (m k n) are small: a batch-32 layer (32 x 784 x
     * 100 is 2.5 M) and the 10-wide output layer (1000 x 100 x 10 is 1 M); batch 1000 of the
     * 784 -> 100 layer (78 M) is large.
     */
    static final long SMALL_MAX_MULTIPLY_ADDS = 1L << 22;

    /** The class of op(A): (m, k) times op(B): (k, n). */
    public static GemmClass of(int m, int k, int n, boolean transA, boolean transB) {
        boolean small = (long) m * k * n <= SMALL_MAX_MULTIPLY_ADDS;
        return values()[(small ? 0 : 4) + (transA ? 1 : 0) + (transB ? 2 : 0)];
    }

    public boolean small() {
        return ordinal() < 4;
    }

    public boolean transA() {
        return (ordinal() & 1) != 0;
    }

    public boolean transB() {
        return (ordinal() & 2) != 0;
    }

    /** The kernel of kernels/gemm.cl for this transposition: gemm_nn, gemm_tn, gemm_nt or gemm_tt. */
    String kernel() {
        return "gemm_" + (transA() ? "t" : "n") + (transB() ? "t" : "n");
    }

    /** "large-tn": the class as the tuning cache and bench name it. */
    public String key() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** The class a {@link #key()} names. */
    public static GemmClass ofKey(String key) {
        return valueOf(key.toUpperCase(Locale.ROOT).replace('-', '_'));
    }
}
