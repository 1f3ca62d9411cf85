package dev.handnet.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The command line as a person uses it, on a slice of the committed MNIST. */
class CliEndToEndTest {

    @TempDir
    Path dir;

    /** Output and exit code of one handnet invocation. */
    record Run(int code, String out, String err) {
    }

    static Run handnet(String... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        int code = HandnetCommand.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void trainOnASliceLowersTheLossAndBeatsChanceThenEvaluateReadsTheModel() throws IOException {
        Path model = dir.resolve("m.hnet"), csv = dir.resolve("metrics.csv");
        Run train = handnet("train", "--device", "cpu", "--limit", "3000", "--epochs", "3", "--batch", "32",
                "--save", model.toString(), "--metrics", csv.toString());
        assertEquals(0, train.code(), train.err());
        assertTrue(train.out().contains("epoch   3/3"), train.out());

        List<String> rows = Files.readAllLines(csv);
        assertEquals(4, rows.size(), "header and three epochs");
        double firstLoss = column(rows.get(1), 2), lastLoss = column(rows.get(3), 2);
        double testAccuracy = column(rows.get(3), 5);
        assertTrue(lastLoss < 0.6 * firstLoss, "train loss " + firstLoss + " -> " + lastLoss);
        assertTrue(testAccuracy > 0.80, "test accuracy " + testAccuracy + " (chance is 0.10)");

        Run eval = handnet("evaluate", model.toString(), "--device", "cpu");
        assertEquals(0, eval.code(), eval.err());
        assertTrue(eval.out().contains("accuracy") && eval.out().contains("true\\pred"), eval.out());
    }

    /** A rate that blows up stops training with the epoch and batch named, and the last good checkpoint stays as it was. */
    @Test
    void aDivergingRunStopsNamingTheBatchAndKeepsTheLastGoodCheckpoint() throws IOException {
        divergesKeepingTheCheckpoint("cpu");
        Run infinite = handnet("train", "--device", "cpu", "--limit", "500", "--lr", "Infinity");
        assertTrue(infinite.code() == 2 && infinite.err().contains("'--lr': expected a finite number > 0"), infinite.err());
        Run nanBias = handnet("train", "--device", "cpu", "--limit", "500", "--bias-init", "NaN");
        assertTrue(nanBias.code() == 2 && nanBias.err().contains("'--bias-init': expected a finite number"), nanBias.err());
    }

    @Test
    void aDivergingRunOnOpenClStopsTheSameWay() throws IOException {
        divergesKeepingTheCheckpoint(dev.handnet.backend.opencl.OpenClTestDevice.get().spec());
    }

    private void divergesKeepingTheCheckpoint(String device) throws IOException {
        Path model = dir.resolve("m.hnet");
        Run good = handnet("train", "--device", device, "--limit", "500", "--epochs", "1", "--save", model.toString());
        assertEquals(0, good.code(), good.err());
        byte[] saved = Files.readAllBytes(model);
        Run bad = handnet("train", "--device", device, "--limit", "500", "--epochs", "3", "--lr", "3e38",
                "--save", model.toString());
        assertEquals(1, bad.code(), bad.out() + bad.err());
        assertTrue(bad.err().matches("(?s)handnet train: error: the loss became (NaN|Infinity) in epoch 1, "
                + "batch \\d+ of 16 .*lower --lr.*"), bad.err());
        assertFalse(bad.out().contains("epoch   1/3"), "no epoch is reported: " + bad.out());
        assertArrayEquals(saved, Files.readAllBytes(model), "the checkpoint of the good run is untouched");
    }

    @Test
    void theTutorialHeadTrainsFromTheCommandLine() {
        Path model = dir.resolve("t.hnet");
        Run train = handnet("train", "--preset", "tutorial", "--device", "cpu", "--limit", "2000", "--epochs", "4",
                "--batches-per-epoch", "20", "--batch", "100", "--save", model.toString());
        assertEquals(0, train.code(), train.err());
        assertTrue(train.out().contains("head tutorial") && train.out().contains("epoch   4/4"), train.out());
    }

    @Test
    void gradcheckPasses() {
        Run run = handnet("gradcheck", "--device", "cpu");
        assertEquals(0, run.code(), run.out() + run.err());
        assertTrue(run.out().contains("gradcheck passed"), run.out());
        assertTrue(run.out().contains("the tutorial's update is"), run.out());
    }

    @Test
    void corruptDataGivesOneLineNamingTheFileWithoutAStackTrace() throws IOException {
        Path data = dir.resolve("broken");
        Files.createDirectories(data);
        for (String name : List.of("train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte",
                "t10k-labels-idx1-ubyte")) {
            Files.write(data.resolve(name), new byte[] {0, 0, 8, 3, 0, 0});
        }
        Run run = handnet("train", "--device", "cpu", "--data", data.toString(), "--epochs", "1");
        assertEquals(1, run.code());
        String err = run.err().strip();
        assertEquals(1, err.lines().count(), err);
        assertTrue(err.contains(data.resolve("train-images-idx3-ubyte").toString()) && err.contains("truncated header"), err);
        assertFalse(err.contains("at dev.handnet"), err);

        Run verbose = handnet("train", "--verbose", "--device", "cpu", "--data", data.toString());
        assertTrue(verbose.err().contains("at dev.handnet"), "stack trace with --verbose");
    }

    @Test
    void aMissingModelAndAnUnknownDeviceAreOneLineErrors() {
        Run eval = handnet("evaluate", dir.resolve("none.hnet").toString());
        assertEquals(1, eval.code());
        assertTrue(eval.err().contains("none.hnet: no such file"), eval.err());
        assertEquals(1, eval.err().strip().lines().count(), eval.err());
        Run device = handnet("gradcheck", "--device", "tpu");
        assertEquals(1, device.code());
        assertTrue(device.err().contains("device 'tpu'"), device.err());
        assertEquals(1, device.err().strip().lines().count(), device.err());
        Run limit = handnet("train", "--device", "cpu", "--limit", "0");
        assertEquals(2, limit.code());
        assertTrue(limit.err().contains("'--limit': expected a whole number >= 1, got '0'"), limit.err());
    }

    private static double column(String csvRow, int index) {
        return Double.parseDouble(csvRow.split(",")[index]);
    }
}
