package dev.handnet.plot;

import dev.handnet.data.DataFileException;
import dev.handnet.data.Dataset;
import dev.handnet.nn.ClassificationReport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PlotsTest {

    @TempDir
    Path dir;

    static final String HEADER = "epoch,batch_loss,train_loss,train_accuracy,test_loss,test_accuracy,train_seconds,eval_seconds";

    /** A metrics CSV of three epochs at dir/name/metrics.csv, as handnet train writes it. */
    Path run(String name) throws IOException {
        Path csv = dir.resolve(name).resolve("metrics.csv");
        Files.createDirectories(csv.getParent());
        Files.writeString(csv, HEADER + "\n1,0.28,0.14,0.958,0.149,0.954,1.53,0.27\n"
                + "2,0.12,0.09,0.973,0.112,0.966,0.28,0.13\n3,0.08,0.06,0.981,0.095,0.971,0.27,0.23\n");
        return csv;
    }

    /** A 10-class report on rows whose every 7th row is misclassified, with their 28x28 images. */
    static Dataset digits(int rows) {
        Random random = new Random(1);
        float[] x = new float[rows * 784];
        for (int i = 0; i < x.length; i++) x[i] = random.nextFloat() < 0.2f ? random.nextFloat() : 0f;
        int[] labels = new int[rows];
        for (int r = 0; r < rows; r++) labels[r] = r % 10;
        return new Dataset("test", x, rows, 784, labels, 10);
    }

    static ClassificationReport report(Dataset test) {
        int[] predicted = new int[test.rows()];
        float[] p = new float[test.rows() * 10];
        for (int r = 0; r < test.rows(); r++) {
            predicted[r] = r % 7 == 0 ? (test.labels()[r] + 1) % 10 : test.labels()[r];
            java.util.Arrays.fill(p, r * 10, r * 10 + 10, 0.02f);
            p[r * 10 + predicted[r]] = 0.82f;
        }
        return ClassificationReport.of(10, test.labels(), predicted, p);
    }

    /** Reads file back: a PNG of the width, and drawn (more than a few distinct colours). */
    static BufferedImage png(Path file, int width, int height) throws IOException {
        BufferedImage image = ImageIO.read(file.toFile());
        assertEquals(width, image.getWidth(), file.toString());
        assertEquals(height, image.getHeight(), file.toString());
        Set<Integer> colours = new HashSet<>();
        for (int y = 0; y < image.getHeight(); y += 3) {
            for (int x = 0; x < image.getWidth(); x += 3) colours.add(image.getRGB(x, y));
        }
        assertTrue(colours.size() > 20, file + " has " + colours.size() + " colours: blank?");
        return image;
    }

    @Test
    void curvesOfOneRunAreTwoChartsOfTrainAndTest() throws IOException {
        MetricsCsv m = MetricsCsv.read(run("modern"), "modern");
        assertArrayEquals(new double[] {1, 2, 3}, m.epoch());
        assertArrayEquals(new double[] {0.954, 0.966, 0.971}, m.testAccuracy());
        var charts = Curves.charts(List.of(m));
        assertEquals(List.of("train", "test"), List.copyOf(charts.get(0).getSeriesMap().keySet()));
        assertEquals(97.1, charts.get(1).getSeriesMap().get("test").getYMax(), 1e-9, "accuracy in %");
        Path png = dir.resolve("curves.png");
        Curves.write(List.of(m), png);
        png(png, 800, 2 * Curves.CHART_HEIGHT);
    }

    @Test
    void curvesOfTwoRunsOverlayNamedByRun() throws IOException {
        var runs = List.of(MetricsCsv.read(run("cpu"), "cpu"), MetricsCsv.read(run("opencl"), "opencl"));
        var charts = Curves.charts(runs);
        for (var chart : charts) {
            assertEquals(List.of("cpu train", "cpu test", "opencl train", "opencl test"), List.copyOf(chart.getSeriesMap().keySet()));
        }
        assertEquals(org.knowm.xchart.style.Styler.LegendPosition.OutsideS, charts.get(0).getStyler().getLegendPosition());
        var three = Curves.charts(List.of(runs.get(0), runs.get(1), MetricsCsv.read(run("tutorial"), "tutorial")));
        assertEquals(6, three.get(1).getSeriesMap().size());
        assertEquals(org.knowm.xchart.style.Styler.LegendPosition.OutsideE, three.get(0).getStyler().getLegendPosition(),
                "six entries do not fit in a row at 800 px: a column on the right");
        var same = Curves.charts(List.of(runs.get(0), runs.get(0)));
        assertEquals(List.of("cpu train", "cpu test", "cpu train #2", "cpu test #2"), List.copyOf(same.get(0).getSeriesMap().keySet()));
    }

    @Test
    void columnsAreFoundByNameInAnyOrderAndExtraOnesIgnored() throws IOException {
        Path csv = dir.resolve("m.csv");
        Files.writeString(csv, "test_accuracy,epoch,samples_per_second,test_loss,train_accuracy,train_loss\n"
                + "0.9,1,12345.6,0.3,0.91,0.25\n\n0.95,2,12000,0.2,0.96,0.15\n");
        MetricsCsv m = MetricsCsv.read(csv, "m");
        assertArrayEquals(new double[] {1, 2}, m.epoch());
        assertArrayEquals(new double[] {0.25, 0.15}, m.trainLoss());
        assertArrayEquals(new double[] {0.9, 0.95}, m.testAccuracy());
    }

    @Test
    void aMissingColumnIsOneLineNamingFileAndColumn() throws IOException {
        Path csv = dir.resolve("m.csv");
        Files.writeString(csv, "epoch,train_loss,train_accuracy,test_accuracy\n1,0.1,0.9,0.9\n");
        String message = assertThrows(DataFileException.class, () -> MetricsCsv.read(csv, "m")).getMessage();
        assertEquals(csv + ": line 1: no column 'test_loss' in the header, expected "
                + "epoch,train_loss,train_accuracy,test_loss,test_accuracy (in any order)", message);
    }

    @Test
    void aValueThatIsNoNumberNamesFileLineAndColumn() throws IOException {
        Path csv = dir.resolve("m.csv");
        Files.writeString(csv, HEADER + "\n1,0.28,0.14,0.958,0.149,0.954,1.53,0.27\n2,0.12,abc,0.973,0.112,0.966,0.28,0.13\n");
        String message = assertThrows(DataFileException.class, () -> MetricsCsv.read(csv, "m")).getMessage();
        assertEquals(csv + ": line 3, column train_loss: 'abc', expected a finite number", message);
        Files.writeString(csv, HEADER + "\n1,0.28,0.14,0.958\n");
        assertEquals(csv + ": line 2: 4 values, expected 8 as in the header",
                assertThrows(DataFileException.class, () -> MetricsCsv.read(csv, "m")).getMessage());
        Files.writeString(csv, HEADER + "\n");
        assertTrue(assertThrows(DataFileException.class, () -> MetricsCsv.read(csv, "m")).getMessage().contains("no epochs"));
        Files.writeString(csv, "");
        assertTrue(assertThrows(DataFileException.class, () -> MetricsCsv.read(csv, "m")).getMessage().contains("is empty"));
    }

    @Test
    void confusionAndMistakesArePngsOfTheExpectedSize() throws IOException {
        Dataset test = digits(200);
        ClassificationReport report = report(test);
        Path confusion = dir.resolve("c.png"), mistakes = dir.resolve("m.png");
        ConfusionPlot.write(report, confusion);
        BufferedImage c = png(confusion, 800, ConfusionPlot.image(report).getHeight());
        assertTrue(c.getHeight() > 600, "10 cells of 62 px and margins: " + c.getHeight());
        MistakesPlot.write(report, test, 32, mistakes);
        assertEquals(29, report.mistakes().size(), "rows 0, 7, ..., 196");
        png(mistakes, 800, MistakesPlot.image(report, test, 32).getHeight());
        assertTrue(MistakesPlot.image(report, test, 8).getHeight() < MistakesPlot.image(report, test, 32).getHeight(),
                "one row of 8 is shorter than four");
    }

    @Test
    void mistakesNeedSquareImages() {
        Dataset iris = new Dataset("iris", new float[8], 2, 4, new int[] {0, 1}, 3);
        ClassificationReport report = ClassificationReport.of(3, new int[] {0, 1}, new int[] {1, 1}, new float[] {0, 1, 0, 0, 1, 0});
        Dataset odd = new Dataset("odd", new float[10], 2, 5, new int[] {0, 1}, 3);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> MistakesPlot.image(report, odd, 32)).getMessage()
                .startsWith("odd: 5 features per row, expected a square image"));
        BufferedImage tiny = MistakesPlot.image(report, iris, 32);  // 4 = 2 x 2 pixels
        assertEquals(800, tiny.getWidth());
    }

    @Test
    void writeAllDrawsTheThreePicturesIntoTheRunFolder() throws IOException {
        Path csv = run("run-1");
        Dataset test = digits(100);
        List<Path> written = Plots.writeAll(csv.getParent(), csv, report(test), test);
        assertEquals(List.of("curves.png", "confusion.png", "mistakes.png"),
                written.stream().map(p -> p.getFileName().toString()).toList());
        for (Path p : written) assertTrue(ImageIO.read(p.toFile()).getWidth() == 800, p.toString());
    }

    @Test
    void runsAreNamedByTheirFolderOrFile() throws IOException {
        Path csv = run("modern");
        assertEquals("modern", Plots.runName(csv));
        assertEquals("modern", Plots.runName(csv.getParent()));
        Path other = dir.resolve("opencl-run.csv");
        Files.copy(csv, other);
        assertEquals("opencl-run", Plots.runName(other));
        assertEquals(csv, Plots.metricsOf(csv.getParent()));
        Path empty = Files.createDirectories(dir.resolve("empty"));
        assertEquals(empty + ": no metrics.csv in this folder, expected a training run folder or a metrics CSV file",
                assertThrows(IllegalArgumentException.class, () -> Plots.metricsOf(empty)).getMessage());
    }
}
