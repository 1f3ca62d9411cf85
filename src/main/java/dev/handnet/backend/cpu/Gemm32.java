package dev.handnet.backend.cpu;

/**
 * The plain float32 GEMM, {@code c += alpha * op(a) * op(b)} (CpuBackend applies beta first):
 * the reference that {@link PackedGemm} is tested against, and the kernel when the JVM lacks
 * jdk.incubator.vector. Cache-blocked and split over rows of c across cores; transposed
 * operands are first copied to row-major op(x). Blocks of KB rows of b times NB columns
 * (128 x 512 floats, 256 KiB) stay in L2 while every row of the chunk streams past.
 *
 * <p>The kernel is {@code c[i, :] += a[i, p] * b[p, :]}. HotSpot 17 and 25 do not auto-vectorise
 * it (most likely because c and b may be one array at different offsets): it runs at about
 * 6 GFLOP/s per core with and without -XX:-UseSuperWord.
 */
final class Gemm32 {

    private static final int KB = 128;
    private static final int NB = 512;

    private Gemm32() {
    }

    /** Whether {@link PackedGemm} can run: the JVM was started with --add-modules jdk.incubator.vector. */
    static final boolean VECTOR_API = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();

    /** a: (m, k) row-major  b: (k, n) row-major  c: (m, n), already scaled by beta. */
    static void multiplyAdd(RowParallel parallel, float alpha, float[] a, float[] b, float[] c, int m, int k, int n) {
        parallel.forRows(m, (long) k * n, (from, to) -> {
            for (int j0 = 0; j0 < n; j0 += NB) {
                int j1 = Math.min(n, j0 + NB);
                for (int p0 = 0; p0 < k; p0 += KB) {
                    int p1 = Math.min(k, p0 + KB);
                    block(alpha, a, b, c, k, n, from, to, p0, p1, j0, j1);
                }
            }
        });
    }

    /**
     * c[i0:i1, j0:j1] += alpha * a[i0:i1, p0:p1] * b[p0:p1, j0:j1]. As in the reference BLAS, a zero
     * a[i, p] skips its row of b (PackedGemm does not skip, so there 0 * Inf in b gives NaN).
     */
    private static void block(float alpha, float[] a, float[] b, float[] c, int k, int n,
                              int i0, int i1, int p0, int p1, int j0, int j1) {
        for (int i = i0; i < i1; i++) {
            int cRow = i * n;
            int aRow = i * k;
            for (int p = p0; p < p1; p++) {
                float aip = alpha * a[aRow + p];
                if (aip == 0f) continue;
                int bRow = p * n;
                for (int j = j0; j < j1; j++) {
                    c[cRow + j] += aip * b[bRow + j];
                }
            }
        }
    }

    /** x: (rows, cols) row-major  ->  xᵀ: (cols, rows) row-major, in 32 x 32 tiles so reads and writes both stay in cache. */
    static float[] transpose(float[] x, int rows, int cols) {
        final int tile = 32;
        float[] t = new float[x.length];
        for (int r0 = 0; r0 < rows; r0 += tile) {
            for (int c0 = 0; c0 < cols; c0 += tile) {
                for (int r = r0; r < Math.min(rows, r0 + tile); r++) {
                    for (int c = c0; c < Math.min(cols, c0 + tile); c++) t[c * rows + r] = x[r * cols + c];
                }
            }
        }
        return t;
    }
}
