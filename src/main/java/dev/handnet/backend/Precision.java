package dev.handnet.backend;

/** Storage and arithmetic precision of a backend's matrices. */
public enum Precision {
    /** float32 storage: what training runs in on every backend. */
    FLOAT32,
    /**
     * float64 storage and arithmetic, on the CPU and on OpenCL devices with cl_khr_fp64: the exact
     * path that gradient checks run through the same layer code, and runs whose printed figures
     * float32 rounding would change.
     */
    FLOAT64
}
