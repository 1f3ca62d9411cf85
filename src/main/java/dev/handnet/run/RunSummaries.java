package dev.handnet.run;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
    public static Map<String, Object> finished(RunFolder run, int epochs) {
        Row r = row(run.dir(), "finished");
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("status", "finished");
        m.put("epochs", r.epochs());
        m.put("best_test_accuracy", r.bestTestAccuracy());
        m.put("best_epoch", r.bestEpoch());
        m.put("final_test_accuracy", r.lastTestAccuracy());
        m.put("seconds", column(run.metrics(), "train_seconds").stream().mapToDouble(Double::doubleValue).sum()
                + column(run.metrics(), "eval_seconds").stream().mapToDouble(Double::doubleValue).sum());
        m.put("last_checkpoint", run.last().getFileName().toString());
        m.put("best_checkpoint", run.best().getFileName().toString());
        return m;
    }

    /** Every run folder under root (those with a config.json), oldest first. */
    public static List<Row> list(Path root) {
        if (!Files.isDirectory(root)) throw new IllegalArgumentException(root + ": no such folder of runs");
        try (Stream<Path> dirs = Files.list(root)) {
            return dirs.filter(d -> Files.isRegularFile(d.resolve("config.json"))).sorted()
                    .map(d -> row(d, RunFolder.inUse(d) ? "running" : status(d))).toList();
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

    private static Row row(Path dir, String status) {
        Path csv = dir.resolve("metrics.csv");
        List<Double> test = Files.exists(csv) ? column(csv, "test_accuracy") : List.of();
        List<Double> epochs = Files.exists(csv) ? column(csv, "epoch") : List.of();
        int best = 0;
        for (int i = 1; i < test.size(); i++) if (test.get(i) > test.get(best)) best = i;
        JsonNode device = RunRecords.read(dir.resolve("config.json")).get("device");
        return new Row(dir.getFileName().toString(), status, test.size(), test.isEmpty() ? Double.NaN : test.get(best),
                test.isEmpty() ? 0 : epochs.get(best).intValue(), test.isEmpty() ? Double.NaN : test.get(test.size() - 1),
                device == null ? "?" : device.asText());
    }

    /** The values of one column of a metrics CSV, by its header name. */
    static List<Double> column(Path csv, String name) {
        try {
            List<String> lines = Files.readAllLines(csv);
            if (lines.isEmpty()) return List.of();
            int index = Arrays.asList(lines.get(0).split(",")).indexOf(name);
            if (index < 0) throw new IllegalArgumentException(csv + ": no column '" + name + "' in its header");
            List<Double> values = new ArrayList<>();
            for (int i = 1; i < lines.size(); i++) {
                String[] f = lines.get(i).split(",");
                try {
                    values.add(Double.parseDouble(f[index]));
                } catch (RuntimeException e) {
                    throw new IllegalArgumentException(csv + ": line " + (i + 1) + ": column '" + name + "' is not a number");
                }
            }
            return values;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + csv + ": " + e.getMessage(), e);
        }
    }
}
