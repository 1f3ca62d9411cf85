package dev.handnet.backend.opencl;

import dev.handnet.backend.Backend;
import dev.handnet.backend.Matrix;
import org.jocl.cl_mem;

/** A matrix in an OpenCL buffer (at least 4 bytes: OpenCL has no empty buffers). */
final class ClMatrix implements Matrix {

    private final OpenClBackend backend;
    private final int rows;
    private final int cols;
    /** Null once released. */
    cl_mem mem;

    ClMatrix(OpenClBackend backend, int rows, int cols, cl_mem mem) {
        this.backend = backend;
        this.rows = rows;
        this.cols = cols;
        this.mem = mem;
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

    /** Bytes of device memory this matrix holds. */
    long bytes() {
        return Math.max(1, size()) * Float.BYTES;
    }

    @Override
    public void close() {
        backend.release(this);
    }
}
