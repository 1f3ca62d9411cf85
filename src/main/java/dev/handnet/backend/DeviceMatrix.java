package dev.handnet.backend;

/** What every backend's matrix has: its owner and its shape. Subclasses hold the memory. */
public abstract class DeviceMatrix implements Matrix {

    private final Backend backend;
    private final int rows;
    private final int cols;

    protected DeviceMatrix(Backend backend, int rows, int cols) {
        this.backend = backend;
        this.rows = rows;
        this.cols = cols;
    }

    @Override
    public final int rows() {
        return rows;
    }

    @Override
    public final int cols() {
        return cols;
    }

    @Override
    public final Backend backend() {
        return backend;
    }
}
