package dev.handnet.backend.opencl;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The GEMM build parameters, without a device: only the device's work-group limit is read. */
class GemmConfigTest {

    private static DeviceInfo withMaxGroup(long maxWorkGroupSize) {
        return new DeviceInfo(0, 0, "test", "test device", "test", true, "GPU", 1, 1L << 30, 1L << 15,
                maxWorkGroupSize, "OpenCL 1.2", false, null, null);
    }

    @Test
    void aDeviceWithLargeWorkGroupsGets32By32TilesOf8OutputsPerItem() {
        GemmConfig c = GemmConfig.forDevice(withMaxGroup(1024));
        assertEquals(new GemmConfig(32, 8), c);
        assertEquals(128, c.workGroupSize());
        assertEquals("-D TS=32 -D WPT=8", c.options());
    }

    @Test
    void smallWorkGroupsHalveTheTileUntilItFits() {
        assertEquals(new GemmConfig(16, 4), GemmConfig.forDevice(withMaxGroup(64)));
        assertEquals(new GemmConfig(8, 2), GemmConfig.forDevice(withMaxGroup(32)));
        assertEquals(new GemmConfig(1, 1), GemmConfig.forDevice(withMaxGroup(1)));
    }

    @Test
    void theGridCoversCInWholeTiles() {
        GemmConfig c = new GemmConfig(32, 8);
        // C: (1000, 100): 100 columns -> 128 items in dimension 0; 1000 rows -> 1024 / 8 = 128 in dimension 1
        assertArrayEquals(new long[] {128, 128}, c.global(1000, 100));
        assertArrayEquals(new long[] {32, 4}, c.local());
    }

    @Test
    void outputsPerItemMustDivideTheTile() {
        assertThrows(IllegalArgumentException.class, () -> new GemmConfig(32, 6));
        assertThrows(IllegalArgumentException.class, () -> new GemmConfig(0, 1));
    }
}
