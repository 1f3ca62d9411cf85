package dev.handnet.backend.cpu;

import dev.handnet.backend.DeviceMatrix;

/** A CPU matrix: a row-major Java array, float[] or double[] by the backend's precision. */
final class CpuMatrix extends DeviceMatrix {

    /** Where the owner tracks its open matrices. */
    private final LiveMatrices live;
    /** Exactly one of these holds the data while the matrix is open; both are null after close. */
    float[] f;
    double[] d;

    CpuMatrix(CpuBackend owner, LiveMatrices live, int rows, int cols, float[] f, double[] d) {
        super(owner, rows, cols);
        this.live = live;
        this.f = f;
        this.d = d;
    }

    double get(int i) {
        return f != null ? f[i] : d[i];
    }

    void set(int i, double v) {
        if (f != null) f[i] = (float) v;
        else d[i] = v;
    }

    /** A copy of the contents as floats (each rounded at float64). */
    float[] floats() {
        float[] out = new float[(int) size()];
        for (int i = 0; i < out.length; i++) out[i] = (float) get(i);
        return out;
    }

    /** A copy of the contents as doubles. */
    double[] doubles() {
        double[] out = new double[(int) size()];
        for (int i = 0; i < out.length; i++) out[i] = get(i);
        return out;
    }

    @Override
    protected boolean isOpen() {
        return f != null || d != null;
    }

    @Override
    public void close() {
        f = null;
        d = null;
        live.released(this);
    }
}
