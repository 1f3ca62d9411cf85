package dev.handnet.backend.cpu;

import dev.handnet.backend.Backend;
import dev.handnet.tck.BackendContract;
import dev.handnet.backend.Matrix;
import dev.handnet.backend.Precision;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The float32 CPU backend with its SIMD GEMM (Surefire starts the JVM with jdk.incubator.vector,
 * so a missing module fails here), on two threads so the parallel paths run even on one core.
 */
class CpuBackendTest extends BackendContract {

    @Override
    protected Backend createBackend() {
        return new CpuBackend(Precision.FLOAT32, 2, true);
    }

    @Test
    void aMatrixOfAnotherBackendIsRejected() {
        try (CpuBackend other = new CpuBackend(); Matrix foreign = other.allocate(2, 2); Matrix mine = be.allocate(2, 2)) {
            assertThrows(IllegalArgumentException.class, () -> be.axpy(1, foreign, mine));
        }
    }
}
