package dev.handnet.backend.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The register tiles of {@link PackedGemm}: each keeps an MR x NR tile of c in vector registers
 * while it runs over a k-block, broadcasting MR values of op(a) per step, then writes the tile
 * back to c through a small buffer. Loaded only with {@code --add-modules jdk.incubator.vector}.
 *
 * <p>The kernel stays small on purpose: with a second copy of the 16 stores (straight to c for
 * whole tiles), C2 sometimes stopped inlining its vector calls, and every vector was then an
 * object: 25 GFLOP/s instead of 250, in some JVM runs and not others.
 */
final class MicroKernel {

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

    /** Floats per vector: 16 with AVX-512, 8 with AVX2. */
    private static final int LANES = S.length();

    /** Rows of the register tile: 8 rows x 2 vectors = 16 accumulators, half of AVX-512's 32 registers. */
    static final int MR = 8;

    /** Columns of the register tile: two vectors. */
    static final int NR = 2 * LANES;

    /** Columns of a narrow tail panel, for the last n mod NR columns when they fit in one vector. */
    static final int NR_TAIL = LANES;

    private MicroKernel() {
    }

    /**
     * c tile (mr, nr) = alpha * a (MR x kc) * b (kc x NR) + beta * c, two vectors per row. a's element
     * (r, p) is pa[ao + r * rs + p * ps] (op(a) in place, transposed or not, or a packed edge), b's
     * row p starts at pb[bo + p * bs] (b in place, or a packed panel).
     */
    static void tile2(int kc, float[] pa, int ao, int rs, int ps, float[] pb, int bo, int bs, float[] c, int cOff, int ldc,
                      int mr, int nr, float alpha, float beta, float[] tile) {
        FloatVector z = FloatVector.zero(S);
        FloatVector c00 = z, c01 = z, c10 = z, c11 = z, c20 = z, c21 = z, c30 = z, c31 = z;
        FloatVector c40 = z, c41 = z, c50 = z, c51 = z, c60 = z, c61 = z, c70 = z, c71 = z;
        int a0 = ao, a1 = a0 + rs, a2 = a1 + rs, a3 = a2 + rs, a4 = a3 + rs, a5 = a4 + rs, a6 = a5 + rs, a7 = a6 + rs;
        for (int p = 0; p < kc; p++) {
            FloatVector b0 = FloatVector.fromArray(S, pb, bo + p * bs);
            FloatVector b1 = FloatVector.fromArray(S, pb, bo + p * bs + LANES);
            int q = p * ps;
            FloatVector x = FloatVector.broadcast(S, pa[a0 + q]);
            c00 = b0.fma(x, c00);
            c01 = b1.fma(x, c01);
            x = FloatVector.broadcast(S, pa[a1 + q]);
            c10 = b0.fma(x, c10);
            c11 = b1.fma(x, c11);
            x = FloatVector.broadcast(S, pa[a2 + q]);
            c20 = b0.fma(x, c20);
            c21 = b1.fma(x, c21);
            x = FloatVector.broadcast(S, pa[a3 + q]);
            c30 = b0.fma(x, c30);
            c31 = b1.fma(x, c31);
            x = FloatVector.broadcast(S, pa[a4 + q]);
            c40 = b0.fma(x, c40);
            c41 = b1.fma(x, c41);
            x = FloatVector.broadcast(S, pa[a5 + q]);
            c50 = b0.fma(x, c50);
            c51 = b1.fma(x, c51);
            x = FloatVector.broadcast(S, pa[a6 + q]);
            c60 = b0.fma(x, c60);
            c61 = b1.fma(x, c61);
            x = FloatVector.broadcast(S, pa[a7 + q]);
            c70 = b0.fma(x, c70);
            c71 = b1.fma(x, c71);
        }
        c00.intoArray(tile, 0);
        c01.intoArray(tile, LANES);
        c10.intoArray(tile, 2 * LANES);
        c11.intoArray(tile, 3 * LANES);
        c20.intoArray(tile, 4 * LANES);
        c21.intoArray(tile, 5 * LANES);
        c30.intoArray(tile, 6 * LANES);
        c31.intoArray(tile, 7 * LANES);
        c40.intoArray(tile, 8 * LANES);
        c41.intoArray(tile, 9 * LANES);
        c50.intoArray(tile, 10 * LANES);
        c51.intoArray(tile, 11 * LANES);
        c60.intoArray(tile, 12 * LANES);
        c61.intoArray(tile, 13 * LANES);
        c70.intoArray(tile, 14 * LANES);
        c71.intoArray(tile, 15 * LANES);
        writeBack(tile, NR, c, cOff, ldc, mr, nr, alpha, beta);
    }

    /** As {@link #tile2} for a last panel of at most one vector's width (NR_TAIL columns packed). */
    static void tile1(int kc, float[] pa, int ao, int rs, int ps, float[] pb, int bo, int bs, float[] c, int cOff, int ldc,
                      int mr, int nr, float alpha, float beta, float[] tile) {
        FloatVector z = FloatVector.zero(S);
        FloatVector c0 = z, c1 = z, c2 = z, c3 = z, c4 = z, c5 = z, c6 = z, c7 = z;
        int a0 = ao, a1 = a0 + rs, a2 = a1 + rs, a3 = a2 + rs, a4 = a3 + rs, a5 = a4 + rs, a6 = a5 + rs, a7 = a6 + rs;
        for (int p = 0; p < kc; p++) {
            FloatVector b0 = FloatVector.fromArray(S, pb, bo + p * bs);
            int q = p * ps;
            c0 = b0.fma(FloatVector.broadcast(S, pa[a0 + q]), c0);
            c1 = b0.fma(FloatVector.broadcast(S, pa[a1 + q]), c1);
            c2 = b0.fma(FloatVector.broadcast(S, pa[a2 + q]), c2);
            c3 = b0.fma(FloatVector.broadcast(S, pa[a3 + q]), c3);
            c4 = b0.fma(FloatVector.broadcast(S, pa[a4 + q]), c4);
            c5 = b0.fma(FloatVector.broadcast(S, pa[a5 + q]), c5);
            c6 = b0.fma(FloatVector.broadcast(S, pa[a6 + q]), c6);
            c7 = b0.fma(FloatVector.broadcast(S, pa[a7 + q]), c7);
        }
        c0.intoArray(tile, 0);
        c1.intoArray(tile, LANES);
        c2.intoArray(tile, 2 * LANES);
        c3.intoArray(tile, 3 * LANES);
        c4.intoArray(tile, 4 * LANES);
        c5.intoArray(tile, 5 * LANES);
        c6.intoArray(tile, 6 * LANES);
        c7.intoArray(tile, 7 * LANES);
        writeBack(tile, NR_TAIL, c, cOff, ldc, mr, nr, alpha, beta);
    }

    /**
     * c[r, j] = alpha * tile[r, j] + beta * c[r, j] for the valid (mr, nr) corner of a tile with row
     * stride w; with beta = 0 the old values of c are not read (they may be NaN).
     */
    private static void writeBack(float[] tile, int w, float[] c, int cOff, int ldc, int mr, int nr, float alpha, float beta) {
        for (int r = 0; r < mr; r++) {
            int ci = cOff + r * ldc, ti = r * w;
            int j = 0;
            for (; j + LANES <= nr; j += LANES) {
                FloatVector v = FloatVector.fromArray(S, tile, ti + j).mul(alpha);
                if (beta != 0) v = v.add(FloatVector.fromArray(S, c, ci + j).mul(beta));
                v.intoArray(c, ci + j);
            }
            for (; j < nr; j++) c[ci + j] = alpha * tile[ti + j] + (beta == 0 ? 0 : beta * c[ci + j]);
        }
    }
}
