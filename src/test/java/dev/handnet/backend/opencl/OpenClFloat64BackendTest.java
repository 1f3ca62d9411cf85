package dev.handnet.backend.opencl;

import dev.handnet.backend.Backend;
import dev.handnet.tck.BackendContract;
import dev.handnet.tck.Inputs;
import dev.handnet.backend.DeviceException;
import dev.handnet.backend.Matrix;
import dev.handnet.backend.Precision;
import dev.handnet.backend.cpu.CpuBackend;
import dev.handnet.data.DataRoot;
import dev.handnet.data.Mnist;
import dev.handnet.nn.Activation;
import dev.handnet.nn.Architecture;
import dev.handnet.nn.Head;
import dev.handnet.nn.TrainConfig;
import dev.handnet.nn.TrainingParity;
import dev.handnet.nn.WeightInit;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The backend contract on OpenCL in float64 (PoCL has cl_khr_fp64), with the float64 CPU
 * backend's tolerances, and the same numbers as CpuBackend.float64() on a large GEMM and a
 * short training run: the tutorial examples print 4-decimal figures from either backend.
 */
class OpenClFloat64BackendTest extends BackendContract {

    @Override
    protected Backend createBackend() {
        return new OpenClBackend(OpenClTestDevice.get(), Precision.FLOAT64);
    }

    @Test
    void itSaysItIsFloat64AndCountsEightBytesAnElement() {
        OpenClBackend cl = (OpenClBackend) be;
        assertEquals(Precision.FLOAT64, cl.precision());
        assertTrue(cl.name().endsWith(", float64"), cl.name());
        long before = cl.liveBytes();
        try (Matrix m = cl.allocate(100, 100)) {
            assertEquals(before + 80_000, cl.liveBytes(), "100 x 100 doubles");
        }
    }

    @Test
    void doublesRoundTripWithEveryBit() {
        double[] values = {Math.PI, 1 + 1e-15, -1e-300, Double.MAX_VALUE, Double.MIN_VALUE, -0.0};
        try (Matrix m = be.upload(2, 3, values)) {
            assertArrayEquals(values, be.downloadDoubles(m));
        }
    }

    @Test
    void aDeviceWithoutDoublesIsRefusedInOneLineNamingIt() {
        DeviceInfo d = OpenClTestDevice.get();
        DeviceInfo noDoubles = OpenClTestDevice.withoutFloat64();
        DeviceException e = assertThrows(DeviceException.class, () -> new OpenClBackend(noDoubles, Precision.FLOAT64));
        assertTrue(e.getMessage().contains(d.name()) && e.getMessage().contains("no float64 (cl_khr_fp64)")
                && e.getMessage().contains("--precision float32") && !e.getMessage().contains("\n"), e.getMessage());
        new OpenClBackend(noDoubles, Precision.FLOAT32).close();
    }

    @Test
    void theKernelsAreBuiltForDouble() {
        KernelSources broken = file -> file.equals("gemm.cl")
                ? KernelSources.classpath().load(file) + "\n#if PRECISION == 64\n#error built for double\n#endif\n"
                : KernelSources.classpath().load(file);
        KernelBuildException e = assertThrows(KernelBuildException.class,
                () -> new OpenClBackend(OpenClTestDevice.get(), Precision.FLOAT64, broken).close());
        assertTrue(e.getMessage().contains("-D PRECISION=64") && e.buildLog().contains("built for double"), e.getMessage());
        new OpenClBackend(OpenClTestDevice.get(), Precision.FLOAT32, broken).close();
    }

    /** The MNIST layer's GEMM, (1000 x 784) x (784 x 100), both ways: equal to 1e-12 of max(1, |c|). */
    @Test
    void aLargeGemmGivesTheFloat64CpuBackendsNumbers() {
        int m = 1000, k = 784, n = 100;
        Random rng = new Random(42);
        double[] a = Inputs.uniform(rng, m * k, 1), b = Inputs.uniform(rng, k * n, 1);
        try (CpuBackend cpu = CpuBackend.float64()) {
            double[] expected = gemm(cpu, a, b, m, k, n), actual = gemm(be, a, b, m, k, n);
            for (int i = 0; i < expected.length; i++) {
                assertEquals(expected[i], actual[i], 1e-12 * Math.max(1, Math.abs(expected[i])), "c[" + i + "]");
            }
        }
    }

    private static double[] gemm(Backend on, double[] a, double[] b, int m, int k, int n) {
        try (Matrix ma = on.upload(m, k, a); Matrix mb = on.upload(k, n, b); Matrix c = on.allocate(m, n)) {
            on.gemm(false, false, 1, ma, mb, 0, c);
            return on.downloadDoubles(c);
        }
    }

    /**
     * 50 seeded SGD steps of 784-100-10 on 2000 MNIST digits, on the float64 CPU backend and
     * here: every batch loss and weight within 1e-9. The two differ only in the order of sums
     * (double rounding, ~1e-16 per op); a float32 op anywhere would show as 1e-7 or more.
     */
    @Test
    void aSeededTrainingRunGivesTheFloat64CpuBackendsNumbers() {
        var digits = Mnist.loadTest(DataRoot.resolve("mnist")).head(2000);
        Architecture net = new Architecture(new int[] {784, 100, 10}, Activation.SIGMOID, Head.CE, true);
        TrainConfig config = new TrainConfig(1.0, 32, 1, TrainConfig.Batching.SHUFFLE, 0);
        try (CpuBackend cpu = CpuBackend.float64()) {
            TrainingParity.Result r = TrainingParity.run(cpu, be, digits, net, WeightInit.GLOROT, config, 50, 11);
            assertTrue(r.lossesA()[49] < r.lossesA()[0] / 2, "the run learns: " + TrainingParity.describe(r));
            assertTrue(r.maxLossDifference() <= 1e-9, TrainingParity.describe(r));
            assertTrue(r.maxWeightDifference() <= 1e-9, TrainingParity.describe(r));
        }
    }
}
