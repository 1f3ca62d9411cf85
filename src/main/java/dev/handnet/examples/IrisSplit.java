package dev.handnet.examples;

import dev.handnet.data.Dataset;
import dev.handnet.data.Iris;

/**
 * The Iris tutorials' split, per class block of 50 rows: the first 40 train, the next 5
 * validate, the last 5 test (rows 0-39/50-89/100-139, 40-44/90-94/140-144, 45-49/95-99/145-149).
 */
record IrisSplit(int[] train, int[] valid, int[] test) {

    static IrisSplit tutorial() {
        return new IrisSplit(Iris.ranges(0, 40, 50, 90, 100, 140), Iris.ranges(40, 45, 90, 95, 140, 145),
                Iris.ranges(45, 50, 95, 100, 145, 150));
    }

    /** Labels as a column (rows, 1): the regression target 0, 1 or 2 (exact in float32 too). */
    static float[] labelColumn(Iris iris, int[] rows) {
        return Dataset.labelColumn(iris.labels(rows));
    }

    /** One-hot targets (rows, classes). */
    static float[] oneHot(Iris iris, int[] rows) {
        return Dataset.oneHot(iris.labels(rows), iris.species().size());
    }
}
