package dev.handnet.backend.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
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

    static {
        // Tail columns are assumed to lie in the last column block only.
        if (Gemm32.NB % LANES != 0) throw new ExceptionInInitializerError("column block " + Gemm32.NB + " is not a multiple of " + LANES + " lanes");
    }

    private VectorGemm() {
    }

    /**
     * c[i0:i1, j0:j1] += alpha * a[i0:i1, p0:p1] * b[p0:p1, j0:j1].  a: (m, k)  b: (k, n)  c: (m, n).
     * The columns past the last whole vector (n mod LANES of them, in the last column block) come
     * from tailT = {@link #transposeTail}(b): dot products along p, vectorised over p.
     */
    static void block(float alpha, float[] a, float[] b, float[] tailT, float[] c, int k, int n,
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
            for (int j = jv; j < j1; j++) c[r * n + j] += alpha * dot(a, r * k, tailT, (j - jv) * k, p0, p1);
        }
    }

    /** b: (k, n)  ->  its last n mod LANES columns, transposed: (n mod LANES, k). */
    static float[] transposeTail(float[] b, int k, int n) {
        int first = S.loopBound(n);
        float[] t = new float[(n - first) * k];
        for (int p = 0; p < k; p++) {
            for (int j = first; j < n; j++) t[(j - first) * k + p] = b[p * n + j];
        }
        return t;
    }

    /** sum over p in [p0, p1) of x[xOff + p] * y[yOff + p]. */
    private static float dot(float[] x, int xOff, float[] y, int yOff, int p0, int p1) {
        int pv = p0 + S.loopBound(p1 - p0);
        FloatVector acc = FloatVector.zero(S);
        for (int p = p0; p < pv; p += LANES) {
            acc = FloatVector.fromArray(S, x, xOff + p).fma(FloatVector.fromArray(S, y, yOff + p), acc);
        }
        float sum = acc.reduceLanes(VectorOperators.ADD);
        for (int p = pv; p < p1; p++) sum += x[xOff + p] * y[yOff + p];
        return sum;
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
