package dev.handnet.backend.cpu;

import dev.handnet.backend.Backend;
import dev.handnet.backend.Matrix;

/** A CPU matrix: a row-major Java array, float[] or double[] by the backend's precision. */
final class CpuMatrix implements Matrix {

    private final CpuBackend backend;
    private final int rows;
    private final int cols;
    /** Exactly one of these holds the data while the matrix is open; both are null after close. */
    float[] f;
    double[] d;

    CpuMatrix(CpuBackend backend, int rows, int cols, float[] f, double[] d) {
        this.backend = backend;
        this.rows = rows;
        this.cols = cols;
        this.f = f;
        this.d = d;
    }

    @Override
    public int rows() {
        return rows;
    }

    @Override
    public int cols() {
        return cols;
    }

    @Override
    public Backend backend() {
        return backend;
    }

    double get(int i) {
        return f != null ? f[i] : d[i];
    }

    void set(int i, double v) {
        if (f != null) f[i] = (float) v;
        else d[i] = v;
    }

    boolean isOpen() {
        return f != null || d != null;
    }

    @Override
    public void close() {
        f = null;
        d = null;
        backend.released(this);
    }
}
