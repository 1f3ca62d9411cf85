package dev.handnet.run;

import com.fasterxml.jackson.databind.JsonNode;
import dev.handnet.plot.MetricsCsv;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.DoubleStream;
import java.util.stream.Stream;

/** A run's figures from its metrics.csv, for summary.json and {@code handnet runs}. */
public final class RunSummaries {

    private RunSummaries() {
    }

    /** One run folder as {@code handnet runs} lists it. */
    public record Row(String name, String status, int epochs, double bestTestAccuracy, int bestEpoch, double lastTestAccuracy,
                      String device) {
    }

    /** summary.json's figures for a run that trained to the end. */
    public static Map<String, Object> finished(RunFolder run) {
        double[][] metrics = metrics(run.dir());
        Row r = row(run.dir(), "finished", metrics);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("status", "finished");
        m.put("epochs", r.epochs());
        m.put("best_test_accuracy", r.bestTestAccuracy());
        m.put("best_epoch", r.bestEpoch());
        m.put("final_test_accuracy", r.lastTestAccuracy());
        m.put("seconds", DoubleStream.of(metrics[2]).sum() + DoubleStream.of(metrics[3]).sum());
        m.put("last_checkpoint", run.last().getFileName().toString());
        m.put("best_checkpoint", run.best().getFileName().toString());
        return m;
    }

    /** Every run folder under root (those with a config.json), oldest first. */
    public static List<Row> list(Path root) {
        if (!Files.isDirectory(root)) throw new IllegalArgumentException(root + ": no such folder of runs");
        try (Stream<Path> dirs = Files.list(root)) {
            return dirs.filter(d -> Files.isRegularFile(d.resolve("config.json"))).sorted()
                    .map(d -> row(d, RunFolder.inUse(d) ? "running" : status(d), metrics(d))).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + root + ": " + e.getMessage(), e);
        }
    }

    private static String status(Path dir) {
        Path summary = dir.resolve("summary.json");
        if (!Files.exists(summary)) return "ended early";
        JsonNode s = RunRecords.read(summary).get("status");
        return s == null ? "unknown" : s.asText();
    }

    /** The columns a summary needs (METRICS, in that order) from dir's metrics.csv; none when it is missing or empty. */
    private static double[][] metrics(Path dir) {
        Path csv = dir.resolve("metrics.csv");
        try {
            if (!Files.exists(csv) || Files.size(csv) == 0) return new double[METRICS.size()][0];
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + csv + ": " + e.getMessage(), e);
        }
        return MetricsCsv.columns(csv, METRICS);
    }

    private static final List<String> METRICS = List.of("epoch", "test_accuracy", "train_seconds", "eval_seconds");

    /** metrics: as {@link #metrics(Path)} returns them. */
    private static Row row(Path dir, String status, double[][] metrics) {
        double[] epochs = metrics[0], test = metrics[1];
        int best = 0;
        for (int i = 1; i < test.length; i++) if (test[i] > test[best]) best = i;
        JsonNode device = RunRecords.read(dir.resolve("config.json")).get("device");
        boolean none = test.length == 0;
        return new Row(dir.getFileName().toString(), status, test.length, none ? Double.NaN : test[best],
                none ? 0 : (int) epochs[best], none ? Double.NaN : test[test.length - 1], device == null ? "?" : device.asText());
    }
}
