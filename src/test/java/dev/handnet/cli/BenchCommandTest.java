package dev.handnet.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.handnet.bench.BenchReport;
import dev.handnet.bench.BenchReport.Device;
import dev.handnet.bench.BenchReport.GemmRow;
import dev.handnet.bench.BenchReport.Machine;
import dev.handnet.bench.ResultsFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;

import static dev.handnet.cli.CliEndToEndTest.handnet;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code handnet bench}: one quick CPU run read back from its JSON, and --from, --plot and --peer on fixtures. */
class BenchCommandTest {

    /** The products the peers time too, (m, k, n, trans_a, trans_b), as the schema compares them; --quick leaves out 2048³. */
    private static final List<String> SHAPES = List.of("1000 784 100 false false", "784 1000 100 true false",
            "1000 100 784 false true", "1024 1024 1024 false false", "32 784 100 false false", "784 32 100 true false",
            "1000 100 10 false false");

    @TempDir
    static Path dir;

    private static CliEndToEndTest.Run quick;
    private static JsonNode json;

    @BeforeAll
    static void runQuickOnTheCpu() throws IOException {
        Path file = dir.resolve("bench.json");
        quick = handnet("bench", "--quick", "--device", "cpu", "--json", file.toString());
        json = new ObjectMapper().readTree(file.toFile());
    }

    @Test
    void quickRunExitsZeroAndSaysWhereItWrote() {
        assertEquals(0, quick.code(), quick.err());
        assertTrue(quick.out().matches("(?s).*\npeak +\\d+ cores x [\\d.]+ GHz x \\d+ lanes x [\\d.]+ FMA units x 2 = [\\d.]+ GFLOP/s\n.*"),
                quick.out());
        assertTrue(quick.out().contains("wrote " + dir.resolve("bench.json")), quick.out());
    }

    @Test
    void theJsonHasEverySchemaKey() {
        assertKeys(json, "tool", "date", "machine", "devices", "gemm", "ops", "epochs");
        assertEquals("handnet", json.get("tool").asText());
        assertTrue(json.get("date").asText().matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ"), json.get("date").asText());
        JsonNode m = json.get("machine");
        assertKeys(m, "cpu", "cores", "clock_ghz", "simd_lanes", "fma_units", "peak_gflops", "jvm", "os");
        assertEquals(m.get("cores").asInt() * m.get("clock_ghz").asDouble() * m.get("simd_lanes").asInt()
                * m.get("fma_units").asDouble() * 2, m.get("peak_gflops").asDouble(), 1e-9);
        assertKeys(json.get("devices").get(0), "device", "name");
        assertEquals("cpu", json.get("devices").get(0).get("device").asText());
        assertKeys(json.get("gemm").get(0), "device", "m", "k", "n", "trans_a", "trans_b", "sweep", "seconds", "gflops", "peak_fraction");
        assertKeys(json.get("ops").get(0), "device", "op", "rows", "cols", "bytes", "seconds", "gbps");
        assertKeys(json.get("epochs").get(0), "device", "preset", "batch", "steps", "rows", "seconds");
    }

    @Test
    void everyTrainingShapeAndTheQuickSweepHaveAFiniteSpeed() {
        List<String> shapes = new ArrayList<>();
        for (JsonNode g : json.get("gemm")) {
            double gflops = g.get("gflops").asDouble();
            assertTrue(gflops > 0 && Double.isFinite(gflops), g.toString());
            assertTrue(g.get("peak_fraction").asDouble() > 0, g.toString());
            shapes.add(g.get("sweep").asBoolean() ? "sweep " + g.get("m").asInt()
                    : g.get("m").asInt() + " " + g.get("k").asInt() + " " + g.get("n").asInt() + " "
                    + g.get("trans_a").asBoolean() + " " + g.get("trans_b").asBoolean());
        }
        List<String> expected = new ArrayList<>(SHAPES);
        expected.addAll(List.of("sweep 64", "sweep 128", "sweep 256", "sweep 512"));
        assertEquals(expected, shapes);
        for (JsonNode o : json.get("ops")) {
            assertTrue(o.get("gbps").asDouble() > 0 && Double.isFinite(o.get("gbps").asDouble()), o.toString());
        }
    }

    @Test
    void bothPresetsTrainAnEpochInPositiveTime() {
        List<String> presets = StreamSupport.stream(json.get("epochs").spliterator(), false).map(e -> e.get("preset").asText()).toList();
        assertEquals(List.of("tutorial", "modern"), presets);
        for (JsonNode e : json.get("epochs")) assertTrue(e.get("seconds").asDouble() > 0, e.toString());
        // --quick's 5000 rows: 5 random batches of 1000 for the tutorial, 157 shuffled batches of 32 for modern.
        assertEquals(5, json.get("epochs").get(0).get("steps").asInt());
        assertEquals(157, json.get("epochs").get(1).get("steps").asInt());
    }

    @Test
    void fromAndPlotDrawSavedResultsWithAPeer() throws IOException {
        Path saved = dir.resolve("saved.json"), peer = dir.resolve("numpy.json"), png = dir.resolve("speed.png");
        Machine machine = new Machine("AMD EPYC", 2, 3.66, 16, 1.0, 117.0, 234.24, "jvm", "os");
        ResultsFile.write(new BenchReport("handnet", "2026-11-23T16:05:00Z", machine, Map.of(),
                List.of(new Device("cpu", "cpu (2 threads, float32, simd)", null, null, null)),
                List.of(sweep(64, 20), sweep(128, 60)), List.of(), List.of()), saved);
        Files.writeString(peer, """
                {"tool": "numpy", "versions": {"blas": "openblas 0.3.21"}, "machine": {"cpu": "AMD EPYC", "cores": 2},
                 "gemm": [{"device": "cpu", "m": 64, "k": 64, "n": 64, "trans_a": false, "trans_b": false,
                           "sweep": true, "threads": 2, "seconds": 6.5e-6, "gflops": 80.0}]}
                """);
        CliEndToEndTest.Run run = handnet("bench", "--from", saved.toString(), "--peer", peer.toString(), "--plot", png.toString());
        assertEquals(0, run.code(), run.err());
        assertTrue(run.out().contains("2 cores x 3.66 GHz x 16 lanes x 1 FMA units x 2 = 234.2 GFLOP/s"), run.out());
        assertTrue(run.out().contains("sweep 128 x 128 x 128"), run.out());
        assertTrue(Files.size(png) > 0, "PNG written");
    }

    @Test
    void aMissingPeerFileIsOneLineNamingItAndWhatWasExpected() {
        Path missing = dir.resolve("missing.json");
        CliEndToEndTest.Run run = handnet("bench", "--peer", missing.toString());
        assertOneLineError(run, missing.toString(), "no such file");
    }

    @Test
    void aMalformedPeerFileIsOneLineNamingItAndWhatWasExpected() throws IOException {
        Path bad = dir.resolve("bad.json");
        Files.writeString(bad, "{\"tool\": \"numpy\", \"gemm\": [1, 2,");
        CliEndToEndTest.Run run = handnet("bench", "--peer", bad.toString());
        assertOneLineError(run, bad.toString(), "is not bench results");
    }

    @Test
    void badOptionValuesAreUsageErrors() {
        assertEquals(2, handnet("bench", "--reps", "0").code());
        assertEquals(2, handnet("bench", "--from", "x.json", "--quick").code());
    }

    private static void assertOneLineError(CliEndToEndTest.Run run, String file, String what) {
        assertEquals(1, run.code(), run.out() + run.err());
        String err = run.err().strip();
        assertFalse(err.contains("\n"), err);
        assertTrue(err.startsWith("handnet bench: error: --peer " + file), err);
        assertTrue(err.contains(what) && err.contains("expected bench results JSON"), err);
    }

    private static GemmRow sweep(int n, double gflops) {
        return new GemmRow("cpu", n, n, n, false, false, true, 2.0 * n * n * n / gflops / 1e9, gflops, gflops / 234.24);
    }

    private static void assertKeys(JsonNode node, String... keys) {
        for (String k : keys) assertTrue(node.has(k), "missing \"" + k + "\" in " + node);
    }
}
