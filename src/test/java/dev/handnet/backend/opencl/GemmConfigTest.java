package dev.handnet.backend.opencl;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The GEMM build parameters, without a device: only the device's type and limits are read. */
class GemmConfigTest {

    static DeviceInfo device(boolean gpu, long maxWorkGroupSize, long localMemory) {
        return new DeviceInfo(0, 0, "test", "test device", "test", gpu, gpu ? "GPU" : "CPU", 1, 1L << 30, localMemory,
                maxWorkGroupSize, "OpenCL 1.2", "1.0", false, null, null);
    }

    @Test
    void gpusStageTilesInWideWorkGroupsAndCpusUseNarrowGroupsOf16WideVectors() {
        GemmConfig gpu = GemmConfig.defaults(device(true, 1024, 1L << 15), GemmClass.LARGE_NN, 4);
        assertEquals(new GemmConfig(64, 64, 16, 16, 16, 4, true, true, 4), gpu);
        assertEquals(256, gpu.workGroupSize());
        assertEquals(2 * 64 * 16 * 4, gpu.localBytes(4));
        GemmConfig cpu = GemmConfig.defaults(device(false, 4096, 1L << 19), GemmClass.LARGE_NN, 4);
        assertTrue(cpu.workGroupSize() <= 8, cpu.toString());
        assertEquals(16, cpu.vw());
        assertEquals(0, cpu.localBytes(4));
        GemmConfig cpuBt = GemmConfig.defaults(device(false, 4096, 1L << 19), GemmClass.LARGE_NT, 4);
        assertTrue(cpuBt.sb() && !cpuBt.sa(), "a transposed B is staged: " + cpuBt);
    }

    @Test
    void smallProductsGetSmallerTiles() {
        DeviceInfo gpu = device(true, 1024, 1L << 15);
        GemmConfig small = GemmConfig.defaults(gpu, GemmClass.SMALL_TN, 4), large = GemmConfig.defaults(gpu, GemmClass.LARGE_TN, 4);
        assertTrue(small.mwg() * small.nwg() < large.mwg() * large.nwg(), small + " vs " + large);
    }

    @Test
    void defaultsShrinkUntilTheDeviceRunsThem() {
        GemmConfig c = GemmConfig.defaults(device(true, 64, 1L << 15), GemmClass.LARGE_NN, 4);
        assertEquals(new GemmConfig(32, 32, 16, 8, 8, 4, true, true, 4), c);
        assertNull(c.misfit(device(true, 64, 1L << 15), 4));
        assertEquals(1, GemmConfig.defaults(device(true, 1, 1L << 15), GemmClass.LARGE_NN, 4).workGroupSize());
    }

    @Test
    void misfitNamesTheWorkGroupOrTheLocalMemory() {
        GemmConfig c = new GemmConfig(64, 64, 32, 16, 16, 4, true, true, 4);
        assertTrue(c.misfit(device(true, 128, 1L << 15), 4).contains("work-groups of 256 items"));
        assertTrue(c.misfit(device(true, 256, 1L << 13), 4).contains("16384 bytes of local memory"));
        assertTrue(c.misfit(device(true, 256, 1L << 14), 8).contains("32768 bytes"), "float64 doubles the tiles");
        assertNull(c.misfit(device(true, 256, 1L << 14), 4));
    }

    @Test
    void theGridCoversCInWholeTiles() {
        GemmConfig c = new GemmConfig(32, 64, 16, 8, 4, 4, false, false, 4);
        // C: (1000, 100): 100 columns -> 2 tiles of 64 x 4 items; 1000 rows -> 32 tiles of 32 x 8 items
        assertArrayEquals(new long[] {8, 256}, c.global(1000, 100));
        assertArrayEquals(new long[] {4, 8}, c.local());
        assertEquals(new GemmConfig(16, 32, 16, 4, 2, 4, false, false, 4), c.smaller());
        assertEquals("-D MWG=32 -D NWG=64 -D KWG=16 -D MDIMC=8 -D NDIMC=4 -D VW=4 -D SA=0 -D SB=0 -D UNROLL=4", c.options());
    }

    @Test
    void parametersMustDivideAsTheKernelNeeds() {
        assertThrows(IllegalArgumentException.class, () -> new GemmConfig(32, 32, 16, 6, 8, 4, false, false, 4));
        assertThrows(IllegalArgumentException.class, () -> new GemmConfig(32, 32, 16, 8, 6, 4, false, false, 4));
        assertThrows(IllegalArgumentException.class, () -> new GemmConfig(32, 32, 16, 8, 8, 8, false, false, 4), "VW > NWG / NDIMC");
        assertThrows(IllegalArgumentException.class, () -> new GemmConfig(32, 32, 16, 8, 8, 3, false, false, 1));
        assertThrows(IllegalArgumentException.class, () -> new GemmConfig(32, 32, 16, 8, 8, 4, false, false, 3));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new GemmConfig(0, 32, 16, 8, 8, 4, false, false, 4));
        assertTrue(e.getMessage().contains("MWG=0"), e.getMessage());
    }
}
