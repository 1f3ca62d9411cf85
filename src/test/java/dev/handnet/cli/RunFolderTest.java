package dev.handnet.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.handnet.io.Checkpoint;
import dev.handnet.run.RunFolder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static dev.handnet.cli.CliEndToEndTest.handnet;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Run folders from the command line: what a run writes, the lock, {@code handnet runs}, --resume and Ctrl-C. */
class RunFolderTest {

    @TempDir
    Path dir;

    @Test
    void aRunWritesItsFolder() throws IOException {
        Path run = dir.resolve("r1");
        CliEndToEndTest.Run train = handnet("train", "--device", "cpu", "--limit", "2000", "--epochs", "3", "--run-dir", run.toString(),
                "--save", dir.resolve("m.hnet").toString());
        assertEquals(0, train.code(), train.err());
        JsonNode config = new ObjectMapper().readTree(run.resolve("config.json").toFile());
        assertEquals("MODERN", config.get("settings").get("preset").asText());
        assertEquals(2000, config.get("settings").get("limit").asInt());
        assertTrue(config.get("device").asText().startsWith("cpu"), config.toString());
        assertEquals(64, config.get("data").get("sha256").get("train-images-idx3-ubyte.gz").asText().length(), config.toString());
        List<String> metrics = Files.readAllLines(run.resolve("metrics.csv"));
        assertEquals(4, metrics.size(), "header and 3 epochs");
        assertTrue(metrics.get(0).endsWith(",samples_per_second"), metrics.get(0));
        JsonNode summary = new ObjectMapper().readTree(run.resolve("summary.json").toFile());
        assertEquals("finished", summary.get("status").asText());
        assertEquals(3, summary.get("epochs").asInt());
        Checkpoint last = Checkpoint.load(run.resolve("last.hnet")), best = Checkpoint.load(run.resolve("best.hnet"));
        assertEquals("3", last.metadata().get("epoch"));
        assertTrue(last.metadata().get("data_sha256").contains("\"train-images-idx3-ubyte.gz\":\""), last.metadata().toString());
        assertTrue(last.metadata().get("config").contains("\"limit\":2000"), last.metadata().get("config"));
        assertEquals(summary.get("best_epoch").asText(), best.metadata().get("epoch"));
        assertArrayEquals(Files.readAllBytes(dir.resolve("m.hnet")), Files.readAllBytes(run.resolve("last.hnet")), "--save is a copy");
        for (String png : List.of("curves.png", "confusion.png", "mistakes.png")) {
            assertTrue(javax.imageio.ImageIO.read(run.resolve(png).toFile()).getWidth() >= 800, png);
        }

        CliEndToEndTest.Run runs = handnet("runs", dir.toString());
        assertEquals(0, runs.code(), runs.err());
        assertTrue(runs.out().lines().anyMatch(l -> l.startsWith("r1") && l.contains("finished") && l.contains("%")), runs.out());
    }

    @Test
    void aRunFolderInUseIsRefusedNamingTheProcess() {
        Path run = dir.resolve("busy");
        try (RunFolder held = RunFolder.open(run, true)) {
            CliEndToEndTest.Run train = handnet("train", "--device", "cpu", "--limit", "500", "--epochs", "1", "--run-dir", run.toString(),
                    "--save", dir.resolve("m.hnet").toString());
            assertEquals(1, train.code());
            assertTrue(train.err().contains(run + " is in use by another training run (process " + ProcessHandle.current().pid() + ")"),
                    train.err());
            assertFalse(train.out().contains("epoch "), train.out());
        }
    }

    @Test
    void aResumedRunKeepsItsSettings() {
        Path run = dir.resolve("r2");
        assertEquals(0, handnet("train", "--device", "cpu", "--limit", "1000", "--epochs", "1", "--run-dir", run.toString(),
                "--save", dir.resolve("m.hnet").toString()).code());
        CliEndToEndTest.Run changed = handnet("train", "--resume", run.toString(), "--lr", "0.5");
        assertEquals(2, changed.code());
        assertTrue(changed.err().contains("--lr cannot change a resumed run"), changed.err());
        CliEndToEndTest.Run notARun = handnet("train", "--resume", dir.toString(), "--save", dir.resolve("m.hnet").toString());
        assertEquals(1, notARun.code());
        assertTrue(notARun.err().contains(dir + ": not a run folder (no config.json)"), notARun.err());
        CliEndToEndTest.Run more = handnet("train", "--resume", run.toString(), "--epochs", "2", "--device", "cpu",
                "--save", dir.resolve("m.hnet").toString());
        assertEquals(0, more.code(), more.err());
        assertTrue(more.out().contains("resuming " + run + " after epoch 1") && more.out().contains("epoch   2/2"), more.out());
    }

    /** From the command line: 1 epoch, then --resume to 2, gives the weights of 2 epochs straight, bit for bit. */
    @Test
    void resumingFromTheCommandLineIsExact() {
        Path straight = dir.resolve("straight"), resumed = dir.resolve("resumed");
        assertEquals(0, handnet("train", "--device", "cpu", "--limit", "3000", "--epochs", "2", "--run-dir", straight.toString(),
                "--save", dir.resolve("a.hnet").toString()).code());
        assertEquals(0, handnet("train", "--device", "cpu", "--limit", "3000", "--epochs", "1", "--run-dir", resumed.toString(),
                "--save", dir.resolve("b.hnet").toString()).code());
        CliEndToEndTest.Run more = handnet("train", "--resume", resumed.toString(), "--epochs", "2", "--device", "cpu",
                "--save", dir.resolve("b.hnet").toString());
        assertEquals(0, more.code(), more.err());
        Checkpoint a = Checkpoint.load(straight.resolve("last.hnet")), b = Checkpoint.load(resumed.resolve("last.hnet"));
        for (int i = 0; i < a.parameters().size(); i++) {
            float[] x = a.parameters().get(i), y = b.parameters().get(i);
            for (int k = 0; k < x.length; k++) {
                assertEquals(Float.floatToRawIntBits(x[k]), Float.floatToRawIntBits(y[k]), "parameter " + i + "[" + k + "]");
            }
        }
        assertEquals(a.metadata().get("rng"), b.metadata().get("rng"), "and the generator is where the straight run left it");
    }

    @Test
    void logFormatJsonIsOneObjectPerLine() throws IOException {
        CliEndToEndTest.Run train = handnet("train", "--device", "cpu", "--limit", "1000", "--epochs", "2", "--log-format", "json",
                "--run-dir", dir.resolve("j").toString(), "--save", dir.resolve("m.hnet").toString());
        assertEquals(0, train.code(), train.err());
        List<String> lines = train.out().lines().toList();
        assertEquals(4, lines.size(), train.out());
        ObjectMapper json = new ObjectMapper();
        assertEquals(List.of("start", "epoch", "epoch", "saved"), lines.stream().map(l -> {
            try {
                return json.readTree(l).get("event").asText();
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + l, e);
            }
        }).toList());
        JsonNode last = json.readTree(lines.get(2));
        assertEquals(2, last.get("epoch").asInt());
        assertTrue(last.get("test_accuracy").asDouble() > 0.5, last.toString());
    }

    /** Ctrl-C (SIGINT) in a real process: the step finishes, the checkpoint is saved, exit 130 with the resume command. */
    @Test
    void ctrlCSavesAndSaysHowToResume() throws Exception {
        Path run = dir.resolve("r3");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "--add-modules", "jdk.incubator.vector", "-cp", System.getProperty("java.class.path"),
                HandnetCommand.class.getName(), "train", "--device", "cpu", "--limit", "20000", "--epochs", "50",
                "--run-dir", run.toString(), "--save", dir.resolve("m.hnet").toString())
                .redirectErrorStream(true).start();
        StringBuilder output = new StringBuilder();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = out.readLine()) != null; ) {
                output.append(line).append('\n');
                if (line.startsWith("epoch   1/50")) {
                    TimeUnit.MILLISECONDS.sleep(300);  // inside epoch 2
                    new ProcessBuilder("kill", "-INT", Long.toString(p.pid())).start().waitFor();
                }
            }
        }
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), output.toString());
        assertEquals(130, p.exitValue(), output.toString());
        assertTrue(output.toString().contains("continue with: handnet train --resume " + run), output.toString());
        Checkpoint last = Checkpoint.load(run.resolve("last.hnet"));
        assertTrue(Integer.parseInt(last.metadata().get("epoch")) >= 1, last.metadata().toString());
        assertEquals("stopped", new ObjectMapper().readTree(run.resolve("summary.json").toFile()).get("status").asText());
    }
}
