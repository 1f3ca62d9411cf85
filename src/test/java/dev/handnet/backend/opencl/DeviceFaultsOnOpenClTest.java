package dev.handnet.backend.opencl;

import dev.handnet.backend.DeviceException;
import dev.handnet.backend.Matrix;
import dev.handnet.cli.HandnetCommand;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;

import static org.jocl.CL.CL_DEVICE_MAX_MEM_ALLOC_SIZE;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Real device faults on the OpenCL test device (PoCL in CI): a buffer above
 * CL_DEVICE_MAX_MEM_ALLOC_SIZE, or a matrix beyond the global memory left, refused before
 * anything is allocated; a kernel that does not compile; an OpenCL error in an op. Each is one line naming the device and what to do.
 */
class DeviceFaultsOnOpenClTest {

    private static void assertOneLine(String message) {
        assertFalse(message.strip().contains("\n"), "one line: " + message);
    }

    /** The check comes before clCreateBuffer, so asking for more than the device has costs nothing. */
    @Test
    void aBufferAboveTheDeviceMaximumIsRefusedBeforeAnyAllocation() {
        DeviceInfo device = OpenClTestDevice.get();
        long maxAlloc = OpenClDevices.deviceLong(device.deviceId(), CL_DEVICE_MAX_MEM_ALLOC_SIZE);
        try (OpenClBackend be = new OpenClBackend(device)) {
            long bytesBefore = be.liveBytes();
            DeviceException e = assertThrows(DeviceException.class, () -> be.runtime().buffer(maxAlloc + 1));
            assertOneLine(e.getMessage());
            assertTrue(e.getMessage().contains((maxAlloc + 1) + " bytes") && e.getMessage().contains(device.describe())
                    && e.getMessage().contains("at most " + maxAlloc + " bytes")
                    && e.getMessage().contains("CL_DEVICE_MAX_MEM_ALLOC_SIZE"), e.getMessage());
            assertEquals(bytesBefore, be.liveBytes(), "nothing allocated");
        }
    }

    /**
     * A matrix that would not fit beside those already held is refused, naming its shape, before
     * anything is allocated. No int-sized matrix exceeds the memory of PoCL on a CI machine or of a
     * data-centre GPU, so the test's device claims 16 MiB of global memory.
     */
    @Test
    void aMatrixBeyondTheDevicesMemoryIsRefusedNamingItsShape() {
        long global = 16L << 20;
        DeviceInfo device = OpenClTestDevice.withGlobalMemory(global);
        try (OpenClBackend be = new OpenClBackend(device); Matrix held = be.upload(1, 2, new float[] {1, 2})) {
            long bytesBefore = be.liveBytes();
            DeviceException e = assertThrows(DeviceException.class, () -> be.allocate(2048, 2048));
            assertOneLine(e.getMessage());
            assertTrue(e.getMessage().startsWith("cannot allocate a (2048, 2048) matrix on " + device.spec())
                    && e.getMessage().contains((4L * 2048 * 2048) + " bytes")
                    && e.getMessage().contains(global + " bytes (16.0 MiB) of global memory (CL_DEVICE_GLOBAL_MEM_SIZE), "
                            + bytesBefore + " bytes of it in use")
                    && e.getMessage().endsWith("; use a smaller --batch (or --hidden, --limit), or --device cpu"), e.getMessage());
            assertEquals(bytesBefore, be.liveBytes(), "nothing allocated");
            assertArrayEquals(new float[] {1, 2}, be.download(held), "the device still works");
        }
    }

    @Test
    void aKernelThatDoesNotBuildIsOneLineQuotingTheFirstLinesOfItsLog() {
        DeviceInfo device = OpenClTestDevice.get();
        StringWriter out = new StringWriter(), err = new StringWriter();
        int code = HandnetCommand.run(new PrintWriter(out, true), new PrintWriter(err, true), "train", "--device",
                "faulty:" + device.spec() + ":build-fail", "--limit", "100", "--epochs", "1", "--save", "target/never.hnet");
        assertEquals(1, code, err.toString());
        String line = err.toString().strip();
        assertOneLine(line);
        assertTrue(line.startsWith("handnet train: error: kernels/elementwise.cl failed to build for " + device.describe()
                + " (options: -cl-std=CL1.2): ") && line.contains("undefined_name"), line);
        assertFalse(line.contains("\tat "), line);
    }

    @Test
    void anOpenClErrorInAnOpIsOneLineNamingTheDeviceTheKernelAndTheError() {
        DeviceInfo device = OpenClTestDevice.get();
        try (OpenClBackend be = new OpenClBackend(device); Matrix m = be.allocate(1, 4)) {
            ClRuntime rt = be.runtime();
            ClProgram program = rt.compile("elementwise.cl", "");
            DeviceException e = assertThrows(DeviceException.class,    // one argument too many
                    () -> rt.launch(program.kernel("sigmoid"), new long[] {64}, null, 4, m, m, 7));
            assertOneLine(e.getMessage());
            assertEquals("OpenCL error CL_INVALID_ARG_INDEX on " + device.spec() + " " + device.describe()
                    + " in kernel sigmoid: rerun with --verbose for the stack trace, or use --device cpu", e.getMessage());
            assertTrue(e.getCause() instanceof org.jocl.CLException, "JOCL's exception is the cause, for --verbose");
        }
    }
}
