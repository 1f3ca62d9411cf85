package dev.handnet.data;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Fisher's Iris data as scikit-learn ships it (data/iris/iris.csv, see SOURCE.md there):
 * 150 rows of 4 measurements in cm, kept as float64 because the tutorials compute in float64
 * from these exact decimals; labels 0 setosa, 1 versicolor, 2 virginica, 50 rows each.
 */
public record Iris(double[] features, int[] labels, List<String> species) {

    public static final int FEATURES = 4;

    /** The bundled copy. */
    public static Iris load() {
        return load(DataRoot.resolve("iris/iris.csv"));
    }

    /**
     * Reads scikit-learn's iris.csv layout: a header {@code rows,features,name,name,...}, then
     * one line per row, {@code f1,f2,f3,f4,label}.
     */
    public static Iris load(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new DataFileException(file, "cannot read (" + e.getClass().getSimpleName() + ")", e);
        }
        return parse(file, bytes);
    }

    /** Parses the bytes of file (named in errors), UTF-8 text as {@link #load(Path)} describes. */
    static Iris parse(Path file, byte[] bytes) {
        List<String> lines;
        try {
            lines = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString().lines().toList();
        } catch (CharacterCodingException e) {
            throw new DataFileException(file, "is not UTF-8 text, expected a CSV file", e);
        }
        if (lines.isEmpty()) throw new DataFileException(file, "is empty, expected a header line rows,4,class names...");
        String[] header = lines.get(0).split(",", -1);
        if (header.length < 3 || parseInt(file, 1, "feature count", header[1]) != FEATURES) {
            throw new DataFileException(file, "line 1: header '" + lines.get(0) + "', expected rows,4,class names...");
        }
        int rows = parseInt(file, 1, "row count", header[0]);
        if (rows < 0) throw new DataFileException(file, "line 1: row count " + rows + ", expected 0 or more");
        List<String> species = List.of(Arrays.copyOfRange(header, 2, header.length));
        long given = lines.stream().skip(1).filter(l -> !l.isBlank()).count();
        if (given != rows) {
            throw new DataFileException(file, "header promises " + rows + " rows but the file has " + given);
        }
        double[] x = new double[rows * FEATURES];
        int[] y = new int[rows];
        for (int r = 0; r < rows; r++) {
            int line = r + 2;
            String[] fields = lines.get(r + 1).split(",", -1);
            if (fields.length != FEATURES + 1) {
                throw new DataFileException(file, "line " + line + ": " + fields.length + " fields, expected " + (FEATURES + 1));
            }
            for (int j = 0; j < FEATURES; j++) x[r * FEATURES + j] = parseDouble(file, line, "feature " + (j + 1), fields[j]);
            y[r] = parseInt(file, line, "label", fields[FEATURES]);
            if (y[r] < 0 || y[r] >= species.size()) {
                throw new DataFileException(file, "line " + line + ": label " + y[r] + ", expected 0 to " + (species.size() - 1));
            }
        }
        return new Iris(x, y, species);
    }

    /**
     * The same data as UCI's iris.data has it: UCI keeps two transcription errors that
     * scikit-learn corrected to Fisher's paper, rows 35 and 38 (counting from 1), which both
     * read 4.9, 3.1, 1.5, 0.1 there. Some published runs were made on this version.
     */
    public Iris uciVersion() {
        double[] x = features.clone();
        double[] uci = {4.9, 3.1, 1.5, 0.1};
        for (int row : new int[] {34, 37}) System.arraycopy(uci, 0, x, row * FEATURES, FEATURES);
        return new Iris(x, labels, species);
    }

    public int rows() {
        return labels.length;
    }

    /** The given rows' features, row-major: (rows.length, 4). */
    public double[] x(int[] rows) {
        double[] out = new double[rows.length * FEATURES];
        for (int i = 0; i < rows.length; i++) System.arraycopy(features, rows[i] * FEATURES, out, i * FEATURES, FEATURES);
        return out;
    }

    /** The given rows' labels. */
    public int[] labels(int[] rows) {
        return Arrays.stream(rows).map(r -> labels[r]).toArray();
    }

    /** Row indices of half-open ranges: {@code ranges(0, 40, 50, 90)} is 0..39 then 50..89. */
    public static int[] ranges(int... fromTo) {
        if (fromTo.length % 2 != 0) throw new IllegalArgumentException("ranges need (from, to) pairs, got " + fromTo.length + " numbers");
        return IntStream.range(0, fromTo.length / 2)
                .flatMap(i -> IntStream.range(fromTo[2 * i], fromTo[2 * i + 1]))
                .toArray();
    }

    private static int parseInt(Path file, int line, String field, String text) {
        try {
            return Integer.parseInt(text.trim());
        } catch (NumberFormatException e) {
            throw new DataFileException(file, "line " + line + ": " + field + " '" + text + "' is not an integer");
        }
    }

    private static double parseDouble(Path file, int line, String field, String text) {
        try {
            double v = Double.parseDouble(text.trim());
            if (Double.isFinite(v)) return v;
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new DataFileException(file, "line " + line + ": " + field + " '" + text + "' is not a finite number");
    }
}
