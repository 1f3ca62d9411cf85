package dev.handnet.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.handnet.data.IdxReader;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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

    /**
     * train on 3000 rows of MNIST (and its first 1000 test rows, in a folder of their own so that
     * evaluate sees the same test set), then evaluate the checkpoint: the printed epochs, the
     * --metrics CSV and evaluate's report must tell the same story in numbers.
     */
    @Test
    void trainOnASliceLowersTheLossAndBeatsChanceThenEvaluateAgreesWithTheMetrics() throws IOException {
        trainThenEvaluate("cpu", 3000, 3, 0.80);
    }

    @Test
    void trainThenEvaluateAgreeOnOpenClToo() throws IOException {
        trainThenEvaluate(dev.handnet.backend.opencl.OpenClTestDevice.get().spec(), 1000, 2, 0.60);
    }

    /**
     * Trains epochs on the first trainRows of MNIST and 1000 test rows, on device, then evaluates
     * the checkpoint there. Asserts: one line per epoch, every figure finite, the batch loss
     * falling from the first epoch to the last, the last test accuracy above minAccuracy (chance
     * is 0.10); the CSV holds the printed figures (to their printed digits); evaluate finds the
     * same number of correct test rows as the last epoch (exactly: the checkpoint holds the
     * float32 weights the run ended with) and the same test loss to its six printed digits.
     */
    private void trainThenEvaluate(String device, int trainRows, int epochs, double minAccuracy) throws IOException {
        Path data = mnistSlice(dir.resolve("slice"), trainRows, TEST_ROWS);
        Path model = dir.resolve("m.hnet"), csv = dir.resolve("metrics.csv");
        Run train = handnet("train", "--device", device, "--data", data.toString(), "--epochs", Integer.toString(epochs),
                "--batch", "32", "--save", model.toString(), "--metrics", csv.toString());
        assertEquals(0, train.code(), train.err());
        assertNoNaNOrInfinity(train);
        List<EpochLine> lines = EpochLine.all(train.out());
        assertEquals(epochs, lines.size(), train.out());
        for (int e = 0; e < epochs; e++) assertEquals(e + 1, lines.get(e).epoch(), train.out());
        EpochLine first = lines.get(0), last = lines.get(epochs - 1);
        assertTrue(last.loss() < 0.6 * first.loss(), "batch loss " + first.loss() + " -> " + last.loss());
        assertTrue(last.testAccuracy() > minAccuracy, "test accuracy " + last.testAccuracy() + " (chance is 0.10)");

        List<String> rows = Files.readAllLines(csv);
        assertEquals(epochs + 1, rows.size(), "header and one row per epoch");
        for (int e = 0; e < epochs; e++) {
            String[] row = rows.get(e + 1).split(",");
            assertEquals(Integer.toString(e + 1), row[0]);
            assertEquals(lines.get(e).loss(), Double.parseDouble(row[1]), 5e-7, "batch loss, printed with 6 decimals: " + rows.get(e + 1));
            assertEquals(lines.get(e).testAccuracy(), Double.parseDouble(row[5]), 5e-5, "test accuracy, printed in % with 2 decimals");
            assertEquals(lines.get(e).testLoss(), Double.parseDouble(row[4]), 5e-7, "test loss, printed with 6 decimals");
        }
        String[] lastRow = rows.get(epochs).split(",");
        double csvAccuracy = Double.parseDouble(lastRow[5]), csvTestLoss = Double.parseDouble(lastRow[4]);

        Run eval = handnet("evaluate", model.toString(), "--device", device, "--data", data.toString());
        assertEquals(0, eval.code(), eval.err());
        assertNoNaNOrInfinity(eval);
        Matcher m = Pattern.compile("accuracy ([0-9.]+)% \\((\\d+) of (\\d+)\\)  loss ([0-9.]+)").matcher(eval.out());
        assertTrue(m.find(), eval.out());
        assertEquals(TEST_ROWS, Integer.parseInt(m.group(3)), eval.out());
        assertEquals(Math.round(csvAccuracy * TEST_ROWS), Integer.parseInt(m.group(2)),
                "correct test rows: evaluate against the last epoch's " + csvAccuracy + "\n" + eval.out());
        assertEquals(String.format(Locale.ROOT, "%.2f", 100 * csvAccuracy), m.group(1), eval.out());
        assertEquals(csvTestLoss, Double.parseDouble(m.group(4)), 5e-7 + 1e-12, "test loss: the CSV's 8 decimals against evaluate's 6");
        assertTrue(eval.out().contains("true\\pred"), "the confusion matrix: " + eval.out());
    }

    /** Test rows in {@link #mnistSlice}: evaluate reads the whole test set of its folder. */
    private static final int TEST_ROWS = 1000;

    /** One printed epoch: {@code epoch   3/3  loss 0.123456  train  97.50%  test  96.40%  test loss 0.123456 ...}. */
    record EpochLine(int epoch, int epochs, double loss, double trainAccuracy, double testAccuracy, double testLoss) {

        private static final Pattern LINE = Pattern.compile(
                "epoch +(\\d+)/(\\d+) +loss ([0-9.]+) +train +([0-9.]+)% +test +([0-9.]+)% +test loss ([0-9.]+)");

        static List<EpochLine> all(String out) {
            List<EpochLine> lines = new ArrayList<>();
            Matcher m = LINE.matcher(out);
            while (m.find()) {
                lines.add(new EpochLine(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), Double.parseDouble(m.group(3)),
                        Double.parseDouble(m.group(4)) / 100, Double.parseDouble(m.group(5)) / 100, Double.parseDouble(m.group(6))));
            }
            return lines;
        }
    }

    private static void assertNoNaNOrInfinity(Run run) {
        String all = run.out() + run.err();
        assertFalse(Pattern.compile("\\b(NaN|Infinity|inf)\\b", Pattern.CASE_INSENSITIVE).matcher(all).find(), all);
    }

    /** The first trainRows and testRows of the committed MNIST as the four raw IDX files in folder. */
    static Path mnistSlice(Path folder, int trainRows, int testRows) throws IOException {
        Files.createDirectories(folder);
        Path mnist = Path.of(System.getenv().getOrDefault("HANDNET_DATA", "data"), "mnist");
        for (String set : List.of("train", "t10k")) {
            int rows = set.equals("train") ? trainRows : testRows;
            headOfIdx(mnist.resolve(set + "-images-idx3-ubyte.gz"), folder.resolve(set + "-images-idx3-ubyte"), 16, 28 * 28, rows);
            headOfIdx(mnist.resolve(set + "-labels-idx1-ubyte.gz"), folder.resolve(set + "-labels-idx1-ubyte"), 8, 1, rows);
        }
        return folder;
    }

    /** The first rows items of an IDX file (header bytes, then itemBytes per item), the count in the header set to rows. */
    private static void headOfIdx(Path from, Path to, int header, int itemBytes, int rows) throws IOException {
        byte[] all = IdxReader.readBytes(from);
        byte[] head = Arrays.copyOf(all, header + rows * itemBytes);
        ByteBuffer.wrap(head).putInt(4, rows);
        Files.write(to, head);
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
        assertTrue(train.out().contains("head tutorial"), train.out());
        assertNoNaNOrInfinity(train);
        List<EpochLine> lines = EpochLine.all(train.out());
        assertEquals(4, lines.size(), train.out());
        EpochLine first = lines.get(0), last = lines.get(3);
        // Measured: batch loss 0.582 -> 0.495, test loss 0.659 -> 0.513, test accuracy 15.9% -> 24.2%.
        assertTrue(last.loss() < 0.95 * first.loss(), "batch loss " + first.loss() + " -> " + last.loss());
        assertTrue(last.testLoss() < 0.9 * first.testLoss(), "test loss " + first.testLoss() + " -> " + last.testLoss());
        assertTrue(last.testAccuracy() > 0.15, "test accuracy " + last.testAccuracy() + " (chance is 0.10)");
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

}
