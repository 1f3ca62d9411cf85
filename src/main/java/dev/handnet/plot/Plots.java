package dev.handnet.plot;

import dev.handnet.data.Dataset;
import dev.handnet.nn.ClassificationReport;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The pictures of a training run, for its folder: {@code curves.png} (loss and accuracy per
 * epoch), {@code confusion.png} (the confusion matrix) and {@code mistakes.png} (the most
 * confident mistakes). Each is 800 pixels wide.
 */
public final class Plots {

    public static final String CURVES = "curves.png", CONFUSION = "confusion.png", MISTAKES = "mistakes.png";

    private Plots() {
    }

    /**
     * Writes curves.png from metricsCsv (the run named by runDir's folder name), then
     * confusion.png and mistakes.png from report, whose mistakes' rows index test, into runDir
     * (made if missing). Returns the files written.
     */
    public static List<Path> writeAll(Path runDir, Path metricsCsv, ClassificationReport report, Dataset test) {
        List<Path> written = new ArrayList<>();
        Path curves = runDir.resolve(CURVES);
        Curves.write(List.of(MetricsCsv.read(metricsCsv, runName(runDir))), curves);
        written.add(curves);
        written.addAll(writeReport(runDir, report, test));
        return written;
    }

    /** Writes confusion.png and mistakes.png of report (rows of test) into dir; returns the two files. */
    public static List<Path> writeReport(Path dir, ClassificationReport report, Dataset test) {
        Path confusion = dir.resolve(CONFUSION), mistakes = dir.resolve(MISTAKES);
        ConfusionPlot.write(report, confusion);
        MistakesPlot.write(report, test, MistakesPlot.DEFAULT_COUNT, mistakes);
        return List.of(confusion, mistakes);
    }

    /**
     * A run's metrics CSV: path itself when it is a file, else the metrics.csv in the run folder
     * path. Errors name path and what was expected.
     */
    public static Path metricsOf(Path path) {
        if (Files.isDirectory(path)) {
            Path csv = path.resolve("metrics.csv");
            if (!Files.isRegularFile(csv)) {
                throw new IllegalArgumentException(path + ": no metrics.csv in this folder, expected a training run folder"
                        + " or a metrics CSV file");
            }
            return csv;
        }
        if (!Files.exists(path)) throw new IllegalArgumentException(path + ": no such file or folder, expected a run folder or a metrics CSV file");
        return path;
    }

    /** How a legend names the run of path: a folder's name; a metrics.csv's folder's name; else the file's name less ".csv". */
    public static String runName(Path path) {
        Path abs = path.toAbsolutePath().normalize();
        Path name = abs.getFileName();
        if (name == null) return abs.toString();
        if (Files.isDirectory(abs)) return name.toString();
        if (name.toString().equals("metrics.csv") && abs.getParent() != null && abs.getParent().getFileName() != null) {
            return abs.getParent().getFileName().toString();
        }
        return name.toString().replaceFirst("(?i)\\.csv$", "");
    }
}
