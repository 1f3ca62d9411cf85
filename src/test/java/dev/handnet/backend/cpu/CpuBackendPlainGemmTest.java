package dev.handnet.backend.cpu;

import dev.handnet.backend.Backend;
import dev.handnet.backend.BackendContract;
import dev.handnet.backend.Precision;

/** The float32 CPU backend with the plain GEMM loop that runs when the Vector API is absent. */
class CpuBackendPlainGemmTest extends BackendContract {

    @Override
    protected Backend createBackend() {
        return new CpuBackend(Precision.FLOAT32, 2, false);
    }

    @Override
    protected double tolerance() {
        return 1e-6;
    }

    @Override
    protected double gemmTolerance() {
        return 1e-5;
    }
}
