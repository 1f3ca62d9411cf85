package dev.handnet.backend.cpu;

import java.util.Arrays;

import static dev.handnet.backend.cpu.MicroKernel.MR;
import static dev.handnet.backend.cpu.MicroKernel.NR;
import static dev.handnet.backend.cpu.MicroKernel.NR_TAIL;

/**
 * The fast float32 GEMM, {@code c = alpha * op(a) * op(b) + beta * c}, in the manner of BLIS:
 * op(b) is packed into NR-wide panels in a reused buffer (a transposed b is absorbed by the
 * packing), and a micro-kernel ({@link MicroKernel}) keeps an MR x NR tile of c in vector
 * registers while it runs over a k-block, broadcasting MR values of op(a) per step. Loaded only
 * when the JVM runs with {@code --add-modules jdk.incubator.vector}; {@link Gemm32} is the plain
 * reference it is tested against.
 *
 * <p>Loops, outermost first (BLIS's names): jc over NC columns of c; pc over KC of k (pack
 * op(b)[pc, jc]); ic over MC rows; jr, ir over the NR x MR tiles (micro-kernel).
 *
 * <p>Threads split c over m or n, whichever leaves less of b to repack. Over m, with more than
 * IN_PLACE_B_ROWS rows, the calling thread packs all of b once and the threads take rows of c
 * in small pieces as they free up. With few rows of c, an untransposed b is read in place.
 *
 * <p>Unlike BLIS, op(a) is read in place, transposed or not: the kernel needs only MR scalars
 * per step, from MR rows at a fixed stride. Packing it cost more than it saved: in a JFR
 * profile of the tutorial epoch the scalar packing of a took 59 samples against 96 in the
 * kernel, and reading in place took the epoch from 360 to 300 ms. Only the last MR rows, when
 * fewer than MR remain, are copied, zero-padded, so that every tile runs the same kernel; an
 * edge tile is written back through a small buffer.
 */
final class PackedGemm {

    private final Blocking blocking;
    private final RowParallel parallel;
    /** Packing buffers and an edge tile per thread, reused across calls (a step allocates nothing). */
    private final ThreadLocal<Buffers> buffers;

    /**
     * Cache block sizes: a KC x NR panel of b takes a sixteenth of L2, an MC x KC block of a half of
     * it. On this project's Zen 5 machine (1 MiB L2) that makes KC = 512: against KC = 256, the
     * panel that fits its 48 KiB L1, each tile is written back half as often, and 1024^3 and
     * 1000 x 784 x 100 on 2 threads ran 5% faster (295-304 against 275-289, and 262-271 against
     * 252-255 GFLOP/s, best of 3 s in three alternating runs each).
     */
    record Blocking(int kc, int mc, int nc) {

        /** From the data cache sizes in bytes. */
        static Blocking forCaches(CacheSizes caches) {
            int kc = roundDown(caches.l2() / 16 / (NR * Float.BYTES), 16, 64);
            int mc = roundDown(caches.l2() / 2 / (kc * Float.BYTES), MR, MR);
            return new Blocking(kc, mc, NC);
        }

        private static int roundDown(int x, int multiple, int min) {
            return Math.max(min, x / multiple * multiple);
        }
    }

    /**
     * Rows of c per thread up to which an untransposed b is read in place rather than packed: each
     * packed value would serve at most 8 tiles, and the copy cost more than the strided reads
     * (32 x 784 x 100 went from 100 to 128 GFLOP/s on one core). Above it, packing wins: rows of
     * b 4 KiB apart, as at 1024^3, fall into the same L1 sets.
     */
    private static final int IN_PLACE_B_ROWS = 8 * MR;

    /** Columns per outer block: b's packed block (KC x NC) is meant for L3; 4096 covers every shape handnet trains. */
    private static final int NC = 4096;

    private final class Buffers {
        final float[] a = new float[MR * blocking.kc()];
        /** One k-block of op(b), grown to the largest needed. */
        float[] b = new float[0];
        final float[] tile = new float[MR * NR];
        /** All of op(b), packed once by the calling thread for every thread of one call. */
        float[] shared = new float[0];
    }

    PackedGemm(RowParallel parallel, Blocking blocking) {
        this.parallel = parallel;
        this.blocking = blocking;
        this.buffers = ThreadLocal.withInitial(Buffers::new);
    }

    /**
     * c = alpha * op(a) * op(b) + beta * c; with beta = 0, c's old contents are ignored.
     * a: (m, k), or (k, m) when transA;  b: (k, n), or (n, k) when transB;  c: (m, n). k, m, n > 0.
     */
    void gemm(boolean transA, boolean transB, float alpha, float[] a, float[] b, float beta, float[] c,
              int m, int k, int n) {
        Operand opA = new Operand(a, transA, transA ? m : k);
        Operand opB = new Operand(b, transB, transB ? k : n);
        int tilesM = ceilDiv(m, MR), tilesN = ceilDiv(n, NR);
        long workPerTile = (long) MR * NR * k;
        // Each thread packs all of the operand it does not split: split m when op(b) (k x n) is the smaller to repack.
        if (n <= m) {
            float[] shared = m > IN_PLACE_B_ROWS && n <= blocking.nc() && (long) k * (n + NR) <= SHARED_B_MAX
                    ? packAllB(opB, k, n) : null;
            RowParallel.RowRange rows = (from, to) ->
                    block(opA, opB, shared, alpha, beta, c, n, from * MR, Math.min(m, to * MR), 0, n, k);
            if (shared != null) parallel.forRowsBalanced(tilesM, workPerTile * tilesN, rows);
            else parallel.forRows(tilesM, workPerTile * tilesN, rows);
        } else {
            parallel.forRows(tilesN, workPerTile * tilesM, (from, to) ->
                    block(opA, opB, null, alpha, beta, c, n, 0, m, from * NR, Math.min(n, to * NR), k));
        }
    }

    /**
     * Floats of op(b) packed once per call and shared by the threads (16 MiB: every product
     * training runs, and 1024^3). Then the rows of c can go out in small pieces, as cores free up,
     * without each piece packing b again: 1000 x 784 x 100 on 2 cores went from a median of 160 to
     * 230 GFLOP/s. Larger b are packed per thread, a cache block at a time.
     */
    private static final long SHARED_B_MAX = 1L << 22;

    /** Equal k-blocks of at most KC: 784 = 4 x 196, not 3 x 256 + 16, whose last block would be all overhead. */
    private int kBlock(int k) {
        return ceilDiv(k, ceilDiv(k, blocking.kc()));
    }

    /** All of op(b) (k, n) packed as {@link #packB} packs each k-block, block pc at offset pc * (n + NR), into this thread's shared buffer. */
    private float[] packAllB(Operand b, int k, int n) {
        Buffers buf = buffers.get();
        int size = k * (n + NR);
        if (buf.shared.length < size) buf.shared = new float[size];
        int kc = kBlock(k);
        for (int pc = 0; pc < k; pc += kc) packB(b, false, pc, Math.min(kc, k - pc), 0, n, buf.shared, pc * (n + NR));
        return buf.shared;
    }

    /** A stored operand: element (i, p) of op(x) is x[i * ld + p], or x[p * ld + i] when transposed. */
    private record Operand(float[] x, boolean trans, int ld) {
    }

    /**
     * c[i0:i1, j0:j1] = alpha * op(a)[i0:i1, :] * op(b)[:, j0:j1] + beta * c[i0:i1, j0:j1], on this
     * thread; op(b) comes from shared (all of it, from {@link #packAllB}) or is packed here.
     */
    private void block(Operand a, Operand b, float[] shared, float alpha, float beta, float[] c, int ldc,
                       int i0, int i1, int j0, int j1, int k) {
        Buffers buf = buffers.get();
        // Steps in a's storage from one row of op(a) to the next, and from one p to the next.
        int rowStep = a.trans ? 1 : a.ld, pStep = a.trans ? a.ld : 1;
        boolean inPlaceB = shared == null && !b.trans && i1 - i0 <= IN_PLACE_B_ROWS;
        for (int jc = j0; jc < j1; jc += blocking.nc()) {
            int nc = Math.min(blocking.nc(), j1 - jc);
            int kcEven = kBlock(k);
            if (shared == null && buf.b.length < kcEven * (nc + NR)) buf.b = new float[kcEven * (nc + NR)];
            for (int pc = 0; pc < k; pc += kcEven) {
                int kc = Math.min(kcEven, k - pc);
                float betaHere = pc == 0 ? beta : 1;  // later k-blocks add to what the first wrote
                float[] packed = shared != null ? shared : buf.b;
                int packedAt = shared != null ? pc * (ldc + NR) : 0;
                if (shared == null) packB(b, inPlaceB, pc, kc, jc, nc, buf.b, 0);
                for (int ic = i0; ic < i1; ic += blocking.mc()) {
                    int mc = Math.min(blocking.mc(), i1 - ic);
                    for (int jr = 0; jr < nc; jr += NR) {
                        int nr = Math.min(NR, nc - jr);
                        for (int ir = 0; ir < mc; ir += MR) {
                            int mr = Math.min(MR, mc - ir);
                            int cOff = (ic + ir) * ldc + jc + jr;
                            float[] pa = a.x;
                            int ao = (ic + ir) * rowStep + pc * pStep, rs = rowStep, ps = pStep;
                            if (mr < MR) {  // the last rows: a zero-padded copy, so the kernel reads MR rows
                                packEdgeA(a, ic + ir, mr, pc, kc, buf.a);
                                pa = buf.a;
                                ao = 0;
                                rs = 1;
                                ps = MR;
                            }
                            boolean bInPlace = inPlaceB && nr == NR;
                            float[] pb = bInPlace ? b.x : packed;
                            int bo = bInPlace ? pc * b.ld + jc + jr : packedAt + jr * kc;
                            int bs = bInPlace ? b.ld : nr > NR_TAIL ? NR : NR_TAIL;
                            if (nr > NR_TAIL) MicroKernel.tile2(kc, pa, ao, rs, ps, pb, bo, bs, c, cOff, ldc, mr, nr, alpha, betaHere, buf.tile);
                            else MicroKernel.tile1(kc, pa, ao, rs, ps, pb, bo, bs, c, cOff, ldc, mr, nr, alpha, betaHere, buf.tile);
                        }
                    }
                }
            }
        }
    }

    /** op(a)[i:i+rows, pc:pc+kc], rows < MR, as one MR-high panel: element (r, p) at p*MR + r, rows past the end zero. */
    private static void packEdgeA(Operand a, int i, int rows, int pc, int kc, float[] out) {
        Arrays.fill(out, 0, kc * MR, 0f);
        for (int r = 0; r < rows; r++) {
            for (int p = 0; p < kc; p++) {
                out[p * MR + r] = a.trans ? a.x[(pc + p) * a.ld + i + r] : a.x[(i + r) * a.ld + pc + p];
            }
        }
    }

    /**
     * op(b)[pc:pc+kc, jc:jc+nc] into NR-wide panels: the panel at column offset j holds element
     * (p, c) at j*kc + p*w + c, w = NR (or NR_TAIL for a last panel that fits one vector). Columns
     * past nc are zero. With inPlace, only the last, partial panel is packed: the kernel reads
     * whole panels of b where they are. Everything is written from out[at] on.
     */
    private static void packB(Operand b, boolean inPlace, int pc, int kc, int jc, int nc, float[] out, int at) {
        for (int j = inPlace ? nc / NR * NR : 0; j < nc; j += NR) {
            int w = nc - j > NR_TAIL ? NR : NR_TAIL;
            int cols = Math.min(w, nc - j);
            int base = at + j * kc;
            for (int p = 0; p < kc; p++) {
                int row = base + p * w;
                for (int col = 0; col < w; col++) {
                    int jj = jc + j + col;
                    out[row + col] = col >= cols ? 0 : b.trans ? b.x[jj * b.ld + pc + p] : b.x[(pc + p) * b.ld + jj];
                }
            }
        }
    }

    private static int ceilDiv(int x, int y) {
        return (x + y - 1) / y;
    }
}
