package dev.handnet.data;

import java.util.Arrays;

/**
 * Labelled examples on the host: x row-major (rows, features), labels in [0, classes).
 * This is what gets uploaded to a backend once, before training.
 */
public record Dataset(String name, float[] x, int rows, int features, int[] labels, int classes) {

    public Dataset {
        if ((long) rows * features != x.length || labels.length != rows) {
            throw new IllegalArgumentException(name + ": " + x.length + " values and " + labels.length
                    + " labels do not make " + rows + " rows of " + features);
        }
    }

    /** Targets (rows, classes): 1 at each row's label, 0 elsewhere. */
    public float[] oneHot() {
        return oneHot(labels, classes);
    }

    /** Targets (labels.length, classes): 1 at each label, 0 elsewhere. */
    public static float[] oneHot(int[] labels, int classes) {
        float[] y = new float[labels.length * classes];
        for (int r = 0; r < labels.length; r++) y[r * classes + labels[r]] = 1f;
        return y;
    }

    /** Labels as a column (labels.length, 1) of values: the target of a regression or a binary head. */
    public static float[] labelColumn(int[] labels) {
        float[] y = new float[labels.length];
        for (int r = 0; r < y.length; r++) y[r] = labels[r];
        return y;
    }

    /** The first n rows (all of them when n >= rows). */
    public Dataset head(int n) {
        int k = Math.min(n, rows);
        return new Dataset(name, Arrays.copyOf(x, k * features), k, features,
                Arrays.copyOf(labels, k), classes);
    }
}
