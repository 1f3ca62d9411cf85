package dev.handnet.backend.cpu;

import dev.handnet.backend.Backend;
import dev.handnet.backend.BackendContract;

/** The float64 CPU backend that gradient checks run on: it must match the reference to ~1e-12. */
class CpuFloat64BackendTest extends BackendContract {

    @Override
    protected Backend createBackend() {
        return CpuBackend.float64();
    }

    @Override
    protected double tolerance() {
        return FLOAT64_TOLERANCE;
    }

    @Override
    protected double gemmTolerance() {
        return FLOAT64_GEMM_TOLERANCE;
    }

    @Override
    protected int liveMatrices() {
        return ((CpuBackend) be).liveMatrices();
    }
}
