package dev.handnet.backend.opencl;

import dev.handnet.backend.Indices;
import org.jocl.cl_mem;

/** Row indices in an OpenCL buffer of ints. */
final class ClIndices extends Indices {

    private final ClRuntime runtime;
    /** Null once released. */
    cl_mem mem;

    ClIndices(OpenClBackend owner, ClRuntime runtime, int[] values, cl_mem mem) {
        super(owner, values);
        this.runtime = runtime;
        this.mem = mem;
    }

    @Override
    protected boolean isOpen() {
        return mem != null;
    }

    @Override
    public void close() {
        if (mem == null) return;
        runtime.free(mem);
        mem = null;
    }
}
