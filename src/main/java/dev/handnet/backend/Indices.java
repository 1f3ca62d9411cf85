package dev.handnet.backend;

/**
 * Row indices held by one backend: uploaded once (an epoch's whole batch order, say) and
 * gathered from many times by {@link Backend#gatherRows(Matrix, Indices, int, Matrix)}, so a
 * training step sends nothing to the device. The smallest and largest index are kept on the
 * host, so a gather checks its range without reading the device.
 */
public abstract class Indices implements AutoCloseable {

    private final Backend backend;
    private final int length, min, max;

    protected Indices(Backend backend, int[] values) {
        this.backend = backend;
        this.length = values.length;
        int lo = Integer.MAX_VALUE, hi = Integer.MIN_VALUE;
        for (int v : values) {
            lo = Math.min(lo, v);
            hi = Math.max(hi, v);
        }
        this.min = lo;
        this.max = hi;
    }

    public final int length() {
        return length;
    }

    /** The smallest index (Integer.MAX_VALUE when empty). */
    public final int min() {
        return min;
    }

    /** The largest index (Integer.MIN_VALUE when empty). */
    public final int max() {
        return max;
    }

    public final Backend backend() {
        return backend;
    }

    /** Whether the memory is still held (false after close). */
    protected abstract boolean isOpen();

    /** Releases the memory; closing again does nothing. */
    @Override
    public abstract void close();

    /** i as owner's own indices class: rejects another backend's ({@link IllegalArgumentException}) and closed ones. */
    public static <T extends Indices> T owned(Backend owner, Class<T> type, Indices i) {
        if (!type.isInstance(i) || i.backend() != owner) {
            throw new IllegalArgumentException(i.length() + " indices belong to " + i.backend().name()
                    + ", not to " + owner.name());
        }
        if (!i.isOpen()) throw new IllegalStateException(i.length() + " indices are closed");
        return type.cast(i);
    }
}
