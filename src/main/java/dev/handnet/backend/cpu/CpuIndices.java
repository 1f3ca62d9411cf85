package dev.handnet.backend.cpu;

import dev.handnet.backend.Indices;

/** Row indices on the CPU: a copy of the uploaded array. */
final class CpuIndices extends Indices {

    /** Null after close. */
    int[] values;

    CpuIndices(CpuBackend owner, int[] values) {
        super(owner, values);
        this.values = values.clone();
    }

    @Override
    protected boolean isOpen() {
        return values != null;
    }

    @Override
    public void close() {
        values = null;
    }
}
