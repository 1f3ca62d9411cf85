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
        return 1e-12;
    }

    @Override
    protected double gemmTolerance() {
        return 1e-13;
    }

    @Override
    protected int liveMatrices() {
        return ((CpuBackend) be).liveMatrices();
    }
}
