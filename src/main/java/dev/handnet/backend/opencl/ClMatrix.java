package dev.handnet.backend.opencl;

import dev.handnet.backend.DeviceMatrix;
import org.jocl.cl_mem;

/** A matrix in an OpenCL buffer of floats or doubles (at least one: OpenCL has no empty buffers). */
final class ClMatrix extends DeviceMatrix {

    private final ClRuntime runtime;
    /** Null once released. */
    cl_mem mem;

    ClMatrix(OpenClBackend owner, ClRuntime runtime, int rows, int cols, cl_mem mem) {
        super(owner, rows, cols);
        this.runtime = runtime;
        this.mem = mem;
    }

    @Override
    protected boolean isOpen() {
        return mem != null;
    }

    /** Bytes of device memory this matrix holds. */
    long bytes() {
        return Math.max(1, size()) * runtime.realBytes;
    }

    @Override
    public void close() {
        runtime.release(this);
    }
}
