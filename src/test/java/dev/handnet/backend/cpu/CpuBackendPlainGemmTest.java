package dev.handnet.backend.cpu;

import dev.handnet.backend.Backend;
import dev.handnet.backend.Precision;

/** The same contract and tolerances with the plain GEMM loop that runs when the Vector API is absent. */
class CpuBackendPlainGemmTest extends CpuBackendTest {

    @Override
    protected Backend createBackend() {
        return new CpuBackend(Precision.FLOAT32, 2, false);
    }
}
