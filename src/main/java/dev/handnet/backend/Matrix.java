package dev.handnet.backend;

/**
 * A row-major {@code rows x cols} buffer of float32 (float64 on a {@link Precision#FLOAT64}
 * backend) that lives in one backend's memory (the Java heap for the CPU, a cl_mem for
 * OpenCL). Its contents are reached only through {@link Backend#upload} and
 * {@link Backend#download}; closing it releases the memory, and closing it again does nothing.
 */
public interface Matrix extends AutoCloseable {

    int rows();

    int cols();

    /** The backend that owns this buffer; ops accept only matrices of their own backend. */
    Backend backend();

    default long size() {
        return (long) rows() * cols();
    }

    /** Shape as people write it: {@code (rows, cols)}. */
    default String shape() {
        return "(" + rows() + ", " + cols() + ")";
    }

    @Override
    void close();
}
