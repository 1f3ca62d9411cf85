package dev.handnet.backend.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The SIMD micro-kernel of {@link Gemm32}, on the JDK's Vector API (jdk.incubator.vector).
 * It keeps a 4-row by one-vector tile of c in registers while p runs over the k-block: per p,
 * one load of b's row segment, four broadcasts of a, four fused multiply-adds. Loaded only
 * when the JVM runs with {@code --add-modules jdk.incubator.vector}; otherwise Gemm32 uses
 * its plain loop.
 */
final class VectorGemm {

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

    /** Floats per vector: 16 with AVX-512, 8 with AVX2. */
    static final int LANES = S.length();

    private VectorGemm() {
    }

    /** c[i0:i1, j0:j1] += alpha * a[i0:i1, p0:p1] * b[p0:p1, j0:j1].  a: (m, k)  b: (k, n)  c: (m, n). */
    static void block(float alpha, float[] a, float[] b, float[] c, int k, int n,
                      int i0, int i1, int p0, int p1, int j0, int j1) {
        int jv = j0 + S.loopBound(j1 - j0);
        int i = i0;
        for (; i + 4 <= i1; i += 4) {
            for (int j = j0; j < jv; j += LANES) fourRows(alpha, a, b, c, k, n, i, p0, p1, j);
        }
        for (; i < i1; i++) {
            for (int j = j0; j < jv; j += LANES) oneRow(alpha, a, b, c, k, n, i, p0, p1, j);
        }
        for (int r = i0; r < i1; r++) {
            for (int j = jv; j < j1; j++) c[r * n + j] += dot(alpha, a, b, k, n, r, p0, p1, j);
        }
    }

    /** alpha * a[i, p0:p1] . b[p0:p1, j]: one of the columns left over after whole vectors. */
    private static float dot(float alpha, float[] a, float[] b, int k, int n, int i, int p0, int p1, int j) {
        float sum = 0;
        for (int p = p0; p < p1; p++) sum += a[i * k + p] * b[p * n + j];
        return alpha * sum;
    }

    /** c[i:i+4, j:j+L] += alpha * a[i:i+4, p0:p1] * b[p0:p1, j:j+L]. */
    private static void fourRows(float alpha, float[] a, float[] b, float[] c, int k, int n, int i, int p0, int p1, int j) {
        int c0 = i * n + j;
        FloatVector acc0 = FloatVector.fromArray(S, c, c0);
        FloatVector acc1 = FloatVector.fromArray(S, c, c0 + n);
        FloatVector acc2 = FloatVector.fromArray(S, c, c0 + 2 * n);
        FloatVector acc3 = FloatVector.fromArray(S, c, c0 + 3 * n);
        int a0 = i * k;
        for (int p = p0; p < p1; p++) {
            FloatVector bv = FloatVector.fromArray(S, b, p * n + j);
            acc0 = bv.fma(FloatVector.broadcast(S, alpha * a[a0 + p]), acc0);
            acc1 = bv.fma(FloatVector.broadcast(S, alpha * a[a0 + k + p]), acc1);
            acc2 = bv.fma(FloatVector.broadcast(S, alpha * a[a0 + 2 * k + p]), acc2);
            acc3 = bv.fma(FloatVector.broadcast(S, alpha * a[a0 + 3 * k + p]), acc3);
        }
        acc0.intoArray(c, c0);
        acc1.intoArray(c, c0 + n);
        acc2.intoArray(c, c0 + 2 * n);
        acc3.intoArray(c, c0 + 3 * n);
    }

    /** c[i, j:j+L] += alpha * a[i, p0:p1] * b[p0:p1, j:j+L], for the rows left over after fours. */
    private static void oneRow(float alpha, float[] a, float[] b, float[] c, int k, int n, int i, int p0, int p1, int j) {
        FloatVector acc = FloatVector.fromArray(S, c, i * n + j);
        for (int p = p0; p < p1; p++) {
            acc = FloatVector.fromArray(S, b, p * n + j).fma(FloatVector.broadcast(S, alpha * a[i * k + p]), acc);
        }
        acc.intoArray(c, i * n + j);
    }
}
