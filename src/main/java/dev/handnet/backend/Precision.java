package dev.handnet.backend;

/** Storage and arithmetic precision of a backend's matrices. */
public enum Precision {
    /** float32 storage: what training runs in on every backend. */
    FLOAT32,
    /** float64 storage: the exact path that gradient checks run through the same layer code. */
    FLOAT64
}
