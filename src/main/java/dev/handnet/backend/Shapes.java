package dev.handnet.backend;

/** Shape preconditions shared by every backend, checked before any work is queued. */
public final class Shapes {

    private Shapes() {
    }

    public static void requireValidShape(int rows, int cols) {
        if (rows < 0 || cols < 0) {
            throw new IllegalArgumentException("shape (" + rows + ", " + cols + "): dimensions must be >= 0");
        }
    }

    public static void requireLength(int rows, int cols, int length) {
        requireValidShape(rows, cols);
        if ((long) rows * cols != length) {
            throw new IllegalArgumentException("shape (" + rows + ", " + cols + ") needs "
                    + (long) rows * cols + " values, got " + length);
        }
    }

    public static void requireSameShape(String op, Matrix a, Matrix b) {
        if (a.rows() != b.rows() || a.cols() != b.cols()) {
            throw new IllegalArgumentException(op + ": shapes " + a.shape() + " and " + b.shape() + " differ");
        }
    }

    public static void requireRowVector(String op, Matrix x, Matrix row) {
        if (row.rows() != 1 || row.cols() != x.cols()) {
            throw new IllegalArgumentException(op + ": expected a (1, " + x.cols() + ") row vector for "
                    + x.shape() + ", got " + row.shape());
        }
    }

    /** op(a): (m, k)  op(b): (k, n)  c: (m, n). */
    public static void requireGemm(boolean transA, boolean transB, Matrix a, Matrix b, Matrix c) {
        int m = transA ? a.cols() : a.rows();
        int ka = transA ? a.rows() : a.cols();
        int kb = transB ? b.cols() : b.rows();
        int n = transB ? b.rows() : b.cols();
        String product = "gemm: shape " + a.shape() + (transA ? "ᵀ" : "") + " x " + b.shape() + (transB ? "ᵀ" : "");
        if (ka != kb) {
            throw new IllegalArgumentException(product + ": inner dimensions differ (" + ka + " vs " + kb + ")");
        }
        if (c.rows() != m || c.cols() != n) {
            throw new IllegalArgumentException(product + " is (" + m + ", " + n + "), but c is " + c.shape());
        }
        if (c == a || c == b) throw new IllegalArgumentException("gemm: c " + c.shape() + " must not be a or b");
    }

    public static void requireGather(Matrix src, int[] indices, Matrix out) {
        if (out.rows() != indices.length || out.cols() != src.cols()) {
            throw new IllegalArgumentException("gatherRows: " + indices.length + " rows of " + src.shape()
                    + " make (" + indices.length + ", " + src.cols() + "), but out is " + out.shape());
        }
        for (int i = 0; i < indices.length; i++) {
            if (indices[i] < 0 || indices[i] >= src.rows()) {
                throw new IllegalArgumentException("gatherRows: indices[" + i + "] = " + indices[i]
                        + " is outside the " + src.rows() + " rows of " + src.shape());
            }
        }
    }

    /** out: (m, n) gathers rows indices[from .. from + m) of src: (r, n); every index in [0, r). */
    public static void requireGather(Matrix src, Indices indices, int from, Matrix out) {
        if (out.cols() != src.cols() || from < 0 || (long) from + out.rows() > indices.length()) {
            throw new IllegalArgumentException("gatherRows: rows " + from + ".." + ((long) from + out.rows())
                    + " of " + indices.length() + " indices into " + src.shape() + " cannot fill " + out.shape());
        }
        if (indices.length() > 0 && (indices.min() < 0 || indices.max() >= src.rows())) {
            int bad = indices.min() < 0 ? indices.min() : indices.max();
            throw new IllegalArgumentException("gatherRows: index " + bad + " is outside the " + src.rows()
                    + " rows of " + src.shape());
        }
    }

    /** Column at of a row of losses: (1, k), at in [0, k). */
    public static void requireLossAt(String op, Matrix losses, int at) {
        if (losses.rows() != 1 || at < 0 || at >= losses.cols()) {
            throw new IllegalArgumentException(op + ": losses must be a (1, k) row with column " + at
                    + " in it, got " + losses.shape());
        }
    }
}
