package dev.handnet.bench;

import dev.handnet.backend.Backend;
import dev.handnet.backend.Indices;
import dev.handnet.backend.Matrix;
import dev.handnet.data.Dataset;

import java.util.Random;

/**
 * Inputs and outputs for timing the {@link OpBench} ops at one (rows, cols): z: values in [-1, 1);
 * p: probabilities in [0.01, 0.99], away from the logs' clamps; t: one-hot targets; out: (rows, cols)
 * and out2: (rows, cols) scratch that ops write; bias: (1, cols) zeros, so repeated addRowVector
 * leaves out as it is; sums: (1, cols); losses: (1, 1) that losses add into; indices: rows draws from the {@link #SOURCE_ROWS} rows of source, the
 * training set that gatherRows batches come from.
 */
final class Operands implements AutoCloseable {

    /** Rows of the MNIST training set, which every batch is gathered from. */
    static final int SOURCE_ROWS = 60_000;

    /** Lower bound of p, and 1 - its upper bound: probabilities of a trained softmax, not 0 or 1. */
    private static final float P_MARGIN = 0.01f;

    final Matrix z, p, t, out, out2, bias, sums, losses;
    final Indices indices;
    private final Backend be;
    private final int cols;
    private Matrix source;

    Operands(Backend be, int rows, int cols, Random random) {
        this.be = be;
        this.cols = cols;
        z = GemmBench.random(be, rows, cols, random);
        float[] probabilities = new float[rows * cols];
        for (int i = 0; i < probabilities.length; i++) probabilities[i] = P_MARGIN + (1 - 2 * P_MARGIN) * random.nextFloat();
        p = be.upload(rows, cols, probabilities);
        t = be.upload(rows, cols, Dataset.oneHot(random.ints(rows, 0, cols).toArray(), cols));
        out = be.allocate(rows, cols);
        out2 = be.allocate(rows, cols);
        bias = be.allocate(1, cols);
        sums = be.allocate(1, cols);
        losses = be.allocate(1, 1);
        indices = be.uploadIndices(random.ints(rows, 0, SOURCE_ROWS).toArray());
    }

    /** (SOURCE_ROWS, cols) zeros, allocated on first use: gatherRows's time does not depend on the values. */
    Matrix source() {
        if (source == null) source = be.allocate(SOURCE_ROWS, cols);
        return source;
    }

    @Override
    public void close() {
        for (Matrix m : new Matrix[] {z, p, t, out, out2, bias, sums, losses, source}) {
            if (m != null) m.close();
        }
        indices.close();
    }
}
