package dev.handnet.backend.opencl;

import dev.handnet.backend.Backend;
import dev.handnet.tck.BackendContract;
import dev.handnet.backend.Matrix;
import dev.handnet.backend.Precision;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The backend contract on OpenCL (PoCL in CI), plus what only a device backend has. */
class OpenClBackendTest extends BackendContract {

    @Override
    protected Backend createBackend() {
        return new OpenClBackend(OpenClTestDevice.get());
    }


    @Test
    void aThousandAllocateCloseCyclesDoNotGrowDeviceMemory() {
        OpenClBackend cl = (OpenClBackend) be;
        long before = cl.liveBytes();
        for (int i = 0; i < 1000; i++) {
            cl.allocate(100, 100).close();
        }
        assertEquals(before, cl.liveBytes());
        try (Matrix m = cl.allocate(100, 100)) {
            assertEquals(before + 40_000, cl.liveBytes(), "bytes are counted: 100 x 100 floats");
        }
    }

    @Test
    void anOpenCl11DeviceIsRefusedWithItsVersionNamed() {
        DeviceInfo old = OpenClTestDevice.withVersion("OpenCL 1.1 Mesa");
        dev.handnet.backend.DeviceException e = assertThrows(dev.handnet.backend.DeviceException.class,
                () -> new OpenClBackend(old));
        assertTrue(e.getMessage().contains("OpenCL 1.1 Mesa") && e.getMessage().contains("need OpenCL 1.2"), e.getMessage());
    }

    @Test
    void closingTwiceIsHarmlessAndAClosedBackendRefusesWork() {
        OpenClBackend cl = new OpenClBackend(OpenClTestDevice.get());
        cl.close();
        cl.close();
        assertThrows(IllegalStateException.class, () -> cl.allocate(1, 1));
    }

    @Test
    void aBrokenKernelReportsItsBuildLog() {
        KernelSources broken = file -> file.equals("elementwise.cl")
                ? KernelSources.classpath().load(file).replace("out[i] = 1 / (1 + exp(-z[i]));", "out[i] = undefined_name;")
                : KernelSources.classpath().load(file);
        KernelBuildException e = assertThrows(KernelBuildException.class,
                () -> new OpenClBackend(OpenClTestDevice.get(), Precision.FLOAT32, broken).close());
        assertTrue(e.getMessage().contains("kernels/elementwise.cl"), e.getMessage());
        assertTrue(e.getMessage().contains(OpenClTestDevice.get().name()), e.getMessage());
        assertTrue(e.buildLog().contains("undefined_name"), e.buildLog());
        String source = KernelSources.classpath().load("elementwise.cl");
        long line = source.substring(0, source.indexOf("out[i] = 1 / (1 + exp(-z[i]));")).lines().count();
        assertTrue(e.buildLog().contains(":" + line + ":"),
                "the log counts elementwise.cl's lines (the error is on line " + line + "), not real.cl's: " + e.buildLog());
    }
}
