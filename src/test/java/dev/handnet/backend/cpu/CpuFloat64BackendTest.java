package dev.handnet.backend.cpu;

import dev.handnet.backend.Backend;
import dev.handnet.tck.BackendContract;

/** The float64 CPU backend that gradient checks run on: it must match the reference to ~1e-12. */
class CpuFloat64BackendTest extends BackendContract {

    @Override
    protected Backend createBackend() {
        return CpuBackend.float64();
    }
}
