package dev.handnet.plot;

import dev.handnet.data.DataFileException;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * A training run's per-epoch metrics, read from the CSV that {@code handnet train --metrics}
 * writes. Columns are found by their header name, in any order; columns other than the five
 * plotted ones (batch_loss, seconds, samples_per_second, ...) are ignored. Accuracies are
 * fractions 0..1 as written.
 */
public record MetricsCsv(String name, double[] epoch, double[] trainLoss, double[] trainAccuracy, double[] testLoss,
                         double[] testAccuracy) {

    /** The columns every metrics file must have, in the order of the record's arrays. */
    public static final List<String> REQUIRED = List.of("epoch", "train_loss", "train_accuracy", "test_loss", "test_accuracy");

    /** Epochs (data rows) in the file. */
    public int epochs() {
        return epoch.length;
    }

    /** Reads file; name is how charts label the run. Errors name the file, the line and the column. */
    public static MetricsCsv read(Path file, String name) {
        double[][] c = columns(file, REQUIRED);
        if (c[0].length == 0) throw new DataFileException(file, "has a header but no epochs, expected one line per epoch");
        return new MetricsCsv(name, c[0], c[1], c[2], c[3], c[4]);
    }

    /**
     * The named columns of file, found by header name: one array per name, a value per epoch
     * row (none when the file has only its header). Errors name the file, the line and the column.
     */
    public static double[][] columns(Path file, List<String> names) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file);
        } catch (CharacterCodingException e) {
            throw new DataFileException(file, "is not UTF-8 text, expected a metrics CSV file", e);
        } catch (IOException e) {
            throw new DataFileException(file, "cannot read (" + e.getClass().getSimpleName() + ")", e);
        }
        if (lines.isEmpty() || lines.get(0).isBlank()) {
            throw new DataFileException(file, "is empty, expected a header line with " + String.join(",", names));
        }
        List<String> header = Arrays.stream(lines.get(0).split(",", -1)).map(String::strip).toList();
        int[] index = new int[names.size()];
        for (int k = 0; k < index.length; k++) {
            index[k] = header.indexOf(names.get(k));
            if (index[k] < 0) {
                throw new DataFileException(file, "line 1: no column '" + names.get(k) + "' in the header, expected "
                        + String.join(",", names) + " (in any order)");
            }
        }
        long rows = lines.subList(1, lines.size()).stream().filter(l -> !l.isBlank()).count();
        double[][] columns = new double[index.length][(int) rows];
        for (int i = 1, r = 0; i < lines.size(); i++) {
            if (lines.get(i).isBlank()) continue;
            String[] values = lines.get(i).split(",", -1);
            if (values.length < header.size()) {
                throw new DataFileException(file, "line " + (i + 1) + ": " + values.length + " values, expected "
                        + header.size() + " as in the header");
            }
            for (int k = 0; k < index.length; k++) columns[k][r] = number(file, i + 1, names.get(k), values[index[k]]);
            r++;
        }
        return columns;
    }

    /** A finite number, or an error naming file, line and column. */
    private static double number(Path file, int line, String column, String value) {
        try {
            double d = Double.parseDouble(value.strip());
            if (Double.isFinite(d)) return d;
        } catch (NumberFormatException e) {
            // the error below
        }
        throw new DataFileException(file, "line " + line + ", column " + column + ": '" + value.strip()
                + "', expected a finite number");
    }
}
