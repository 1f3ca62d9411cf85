package dev.handnet.backend.opencl;

/**
 * The OpenCL objects one {@link OpenClBackend} holds at a moment: buffers (matrices, index
 * lists, scratch) and their bytes, kernels, programs, the command queue and the context.
 * A soak test reads it after every epoch (it must stay flat) and after close (all zero).
 */
public record ClObjects(int buffers, long bufferBytes, int kernels, int programs, int queues, int contexts) {

    /** Every live object, of any kind. */
    public int total() {
        return buffers + kernels + programs + queues + contexts;
    }
}
