package dev.handnet.backend.cpu;

import dev.handnet.backend.Backend;
import dev.handnet.backend.Precision;
import dev.handnet.tck.BackendContract;

/**
 * The float32 CPU backend with its SIMD GEMM (Surefire starts the JVM with jdk.incubator.vector,
 * so a missing module fails here), on two threads so the parallel paths run even on one core.
 */
class CpuBackendTest extends BackendContract {

    @Override
    protected Backend createBackend() {
        return new CpuBackend(Precision.FLOAT32, 2, true);
    }
}
