package dev.handnet.backend.opencl;

import dev.handnet.backend.Precision;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The GEMM tuning cache: where it lives, what it keeps, and files it cannot read. */
class TuningCacheTest {

    @TempDir
    Path dir;

    private static final DeviceInfo DEVICE = GemmConfigTest.device(false, 4096, 1L << 19);
    private static final GemmConfig TUNED = new GemmConfig(64, 32, 16, 8, 1, 16, false, true, 4);

    private static TuningCache.Entry entry(String driver, Precision p, GemmClass shape, GemmConfig c) {
        return new TuningCache.Entry(DEVICE.name(), driver, p.name(), shape.key(), c, 100, "2026-11-23T16:05:00Z");
    }

    @Test
    void theFileIsInXdgCacheHomeElseInDotCache() {
        assertEquals(Path.of("/x/cache/handnet/gemm-tuning.json"), TuningCache.defaultFile(Map.of("XDG_CACHE_HOME", "/x/cache"), "/home/u"));
        assertEquals(Path.of("/home/u/.cache/handnet/gemm-tuning.json"), TuningCache.defaultFile(Map.of(), "/home/u"));
        assertEquals(Path.of("/home/u/.cache/handnet/gemm-tuning.json"), TuningCache.defaultFile(Map.of("XDG_CACHE_HOME", " "), "/home/u"));
    }

    @Test
    void savedEntriesReadBackForTheirDeviceDriverPrecisionAndClassOnly() {
        Path file = dir.resolve("sub/gemm-tuning.json");
        TuningCache.load(file).with(List.of(entry(DEVICE.driver(), Precision.FLOAT32, GemmClass.LARGE_NT, TUNED))).save();
        TuningCache read = TuningCache.load(file);
        assertEquals(Optional.of(TUNED), read.config(DEVICE, Precision.FLOAT32, GemmClass.LARGE_NT));
        assertEquals(Optional.empty(), read.config(DEVICE, Precision.FLOAT64, GemmClass.LARGE_NT));
        assertEquals(Optional.empty(), read.config(DEVICE, Precision.FLOAT32, GemmClass.LARGE_NN));
        DeviceInfo newDriver = new DeviceInfo(0, 0, "test", DEVICE.name(), "test", false, "CPU", 1, 1L << 30, 1L << 19, 4096,
                "OpenCL 1.2", "2.0", false, null, null);
        assertEquals(Optional.empty(), read.config(newDriver, Precision.FLOAT32, GemmClass.LARGE_NT), "a new driver is retuned");
        assertEquals(List.of(GemmClass.LARGE_NT), read.tunedClasses(DEVICE, Precision.FLOAT32));
    }

    @Test
    void aNewEntryReplacesTheOneWithTheSameKey() {
        Path file = dir.resolve("gemm-tuning.json");
        GemmConfig other = new GemmConfig(32, 32, 16, 1, 1, 16, false, false, 4);
        TuningCache.load(file).with(List.of(entry("1.0", Precision.FLOAT32, GemmClass.LARGE_NN, TUNED),
                entry("1.0", Precision.FLOAT64, GemmClass.LARGE_NN, TUNED))).save();
        TuningCache.load(file).with(List.of(entry("1.0", Precision.FLOAT32, GemmClass.LARGE_NN, other))).save();
        TuningCache read = TuningCache.load(file);
        assertEquals(2, read.entries().size());
        assertEquals(Optional.of(other), read.config(DEVICE, Precision.FLOAT32, GemmClass.LARGE_NN));
        assertEquals(Optional.of(TUNED), read.config(DEVICE, Precision.FLOAT64, GemmClass.LARGE_NN));
    }

    @Test
    void aMissingFileIsAnEmptyCache() {
        assertEquals(List.of(), TuningCache.load(dir.resolve("none.json")).entries());
    }

    @Test
    void anUnreadableFileIsIgnoredWithAWarningNamingIt() throws IOException {
        String[] broken = {"{not json", "[1, 2]", "{\"entries\": [{\"device\": \"x\"}]}",
                "{\"entries\": [{\"device\": \"test device\", \"driver\": \"1.0\", \"precision\": \"FLOAT32\", \"shape_class\": \"large-nn\","
                        + " \"config\": {\"mwg\": 30, \"nwg\": 32, \"kwg\": 16, \"mdimc\": 8, \"ndimc\": 1, \"vw\": 16, \"sa\": false,"
                        + " \"sb\": false, \"unroll\": 4}, \"gflops\": 1, \"date\": \"2026\"}]}"};
        for (String text : broken) {
            Path file = dir.resolve("broken.json");
            Files.writeString(file, text);
            String warning = stderrOf(() -> assertEquals(List.of(), TuningCache.load(file).entries(), text));
            assertTrue(warning.contains(file.toString()) && warning.contains("default GEMM parameters"), text + " -> " + warning);
        }
    }

    @Test
    void anEntryTheDeviceCannotRunIsIgnored() {
        Path file = dir.resolve("gemm-tuning.json");
        GemmConfig wide = new GemmConfig(64, 64, 16, 16, 16, 4, false, false, 4);
        TuningCache.load(file).with(List.of(entry("1.0", Precision.FLOAT32, GemmClass.LARGE_NN, wide))).save();
        DeviceInfo small = GemmConfigTest.device(false, 64, 1L << 19);
        String warning = stderrOf(() -> assertEquals(Optional.empty(), TuningCache.load(file).config(small, Precision.FLOAT32, GemmClass.LARGE_NN)));
        assertTrue(warning.contains("work-groups of 256 items"), warning);
    }

    /** What run writes to System.err (where slf4j-simple logs). */
    private static String stderrOf(Runnable run) {
        PrintStream saved = System.err;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        System.setErr(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        try {
            run.run();
        } finally {
            System.setErr(saved);
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
