package dev.handnet.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.handnet.backend.opencl.OpenClTestDevice;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

import static dev.handnet.cli.CliEndToEndTest.handnet;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code handnet tune} end to end on the test device with a short budget, then {@code handnet devices} reading its cache. */
class TuneCommandTest {

    @TempDir
    Path dir;

    @Test
    void aShortQuickTuneCachesEveryTrainingClassAndDevicesSaysSo() throws IOException {
        String spec = OpenClTestDevice.get().spec();
        Path cache = dir.resolve("cache/gemm-tuning.json");
        CliEndToEndTest.Run tune = handnet("tune", "--device", spec, "--quick", "--budget", "3", "--reps", "1", "--cache", cache.toString());
        assertEquals(0, tune.code(), tune.err() + tune.out());
        assertTrue(tune.out().contains("[1/") && tune.out().contains("GFLOP/s"), tune.out());
        assertTrue(tune.out().contains("fastest per shape class") && tune.out().contains("wrote " + cache), tune.out());

        JsonNode entries = new ObjectMapper().readTree(cache.toFile()).get("entries");
        Set<String> classes = new HashSet<>();
        for (JsonNode e : entries) {
            classes.add(e.get("shape_class").asText());
            assertEquals(OpenClTestDevice.get().name(), e.get("device").asText());
            assertTrue(e.get("gflops").asDouble() > 0 && e.get("config").has("mwg"), e.toString());
        }
        assertEquals(Set.of("small-nn", "small-tn", "small-nt", "large-nn", "large-tn", "large-nt"), classes);

        CliEndToEndTest.Run devices = handnet("devices", "--cache", cache.toString());
        assertEquals(0, devices.code(), devices.err());
        assertTrue(devices.out().contains("GEMM tuned for float32 (6 shape classes)"), devices.out());
        assertTrue(devices.out().contains("GEMM tuning cache: " + cache), devices.out());
        CliEndToEndTest.Run untuned = handnet("devices", "--cache", dir.resolve("none.json").toString());
        assertTrue(untuned.out().contains("GEMM not tuned"), untuned.out());
    }

    @Test
    void onlyOpenClDevicesAreTuned() {
        CliEndToEndTest.Run run = handnet("tune", "--device", "cpu", "--cache", dir.resolve("c.json").toString());
        assertEquals(2, run.code());
        assertTrue(run.err().contains("--device must be opencl"), run.err());
    }
}
