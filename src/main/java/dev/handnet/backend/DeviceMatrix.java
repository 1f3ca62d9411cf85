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

    /** Whether the memory is still held (false after close). */
    protected abstract boolean isOpen();

    /**
     * m as owner's own matrix class, for an op of owner: rejects a matrix of another backend
     * ({@link IllegalArgumentException}) and a closed one ({@link IllegalStateException}).
     */
    public static <T extends DeviceMatrix> T owned(Backend owner, Class<T> type, Matrix m) {
        if (!type.isInstance(m) || m.backend() != owner) {
            throw new IllegalArgumentException("matrix " + m.shape() + " belongs to " + m.backend().name()
                    + ", not to " + owner.name());
        }
        T t = type.cast(m);
        if (!t.isOpen()) throw new IllegalStateException("matrix " + m.shape() + " is closed");
        return t;
    }
}
