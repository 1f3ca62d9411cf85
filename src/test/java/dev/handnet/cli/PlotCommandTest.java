package dev.handnet.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static dev.handnet.cli.CliEndToEndTest.handnet;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** handnet plot and evaluate --plots as a person runs them. */
class PlotCommandTest {

    @TempDir
    Path dir;

    private Path run(String name) throws IOException {
        Path csv = dir.resolve(name).resolve("metrics.csv");
        Files.createDirectories(csv.getParent());
        Files.writeString(csv, "epoch,batch_loss,train_loss,train_accuracy,test_loss,test_accuracy,train_seconds,eval_seconds\n"
                + "1,0.28,0.14,0.958,0.149,0.954,1.53,0.27\n2,0.12,0.09,0.973,0.112,0.966,0.28,0.13\n");
        return csv;
    }

    @Test
    void oneRunFolderGetsItsCurvesAndTwoRunsOverlayIntoOut() throws IOException {
        Path a = run("cpu"), b = run("opencl");
        CliEndToEndTest.Run one = handnet("plot", a.getParent().toString());
        assertEquals(0, one.code(), one.err());
        Path curves = a.getParent().resolve("curves.png");
        assertEquals("wrote " + curves, one.out().strip());
        assertEquals(800, ImageIO.read(curves.toFile()).getWidth());

        Path out = dir.resolve("pics/compare.png");
        CliEndToEndTest.Run two = handnet("plot", a.getParent().toString(), b.toString(), "--out", out.toString());
        assertEquals(0, two.code(), two.err());
        assertEquals(800, ImageIO.read(out.toFile()).getWidth());
    }

    @Test
    void aFolderWithoutMetricsOrABadCsvIsOneLine() throws IOException {
        Path empty = Files.createDirectories(dir.resolve("empty"));
        CliEndToEndTest.Run noMetrics = handnet("plot", empty.toString(), "--out", dir.resolve("c.png").toString());
        assertEquals(1, noMetrics.code());
        assertEquals("handnet plot: error: " + empty + ": no metrics.csv in this folder, expected a training run folder"
                + " or a metrics CSV file", noMetrics.err().strip());

        Path bad = dir.resolve("bad.csv");
        Files.writeString(bad, "epoch,train_loss,train_accuracy,test_loss,test_accuracy\n1,0.1,0.9,NaN,0.9\n");
        CliEndToEndTest.Run badCsv = handnet("plot", bad.toString(), "--out", dir.resolve("c.png").toString());
        assertEquals(1, badCsv.code());
        assertEquals("handnet plot: error: " + bad + ": line 2, column test_loss: 'NaN', expected a finite number",
                badCsv.err().strip());
        assertTrue(Files.notExists(dir.resolve("c.png")));

        CliEndToEndTest.Run none = handnet("plot");
        assertEquals(2, none.code());
        assertTrue(none.err().contains("Missing required parameter: 'RUN_OR_CSV'"), none.err());
    }

    @Test
    void evaluateWithPlotsWritesTheConfusionMatrixAndTheMistakes() throws IOException {
        Path model = dir.resolve("m.hnet");
        CliEndToEndTest.Run train = handnet("train", "--device", "cpu", "--limit", "1000", "--epochs", "1", "--save", model.toString());
        assertEquals(0, train.code(), train.err());
        Path plots = dir.resolve("plots");
        CliEndToEndTest.Run eval = handnet("evaluate", model.toString(), "--device", "cpu", "--plots", plots.toString());
        assertEquals(0, eval.code(), eval.err());
        for (String name : new String[] {"confusion.png", "mistakes.png"}) {
            Path png = plots.resolve(name);
            assertTrue(eval.out().contains("wrote " + png), eval.out());
            assertEquals(800, ImageIO.read(png.toFile()).getWidth(), name);
        }
        Path file = Files.writeString(dir.resolve("file.txt"), "x");
        CliEndToEndTest.Run onAFile = handnet("evaluate", model.toString(), "--device", "cpu", "--plots", file.toString());
        assertEquals(1, onAFile.code());
        assertEquals("handnet evaluate: error: --plots " + file + ": is a file, expected a folder", onAFile.err().strip());
    }
}
