package dev.handnet.nn;

import dev.handnet.backend.Backend;
import dev.handnet.backend.Matrix;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.random.RandomGenerator;
import java.util.function.Consumer;
import java.util.stream.IntStream;

/**
 * Drives SGD on any backend. Batch indices are drawn on the host from a seeded generator, so
 * every backend sees the same batches; the rows themselves are gathered on the device.
 */
public final class Trainer implements AutoCloseable {

    /** Rows per forward pass when evaluating a whole set. */
    static final int EVAL_CHUNK = 1000;

    /** Called after each batch with (batches done, batches in the epoch). */
    public interface BatchListener {
        void batchDone(int done, int total);
    }

    private final Mlp net;
    private final Backend be;
    private final Map<Integer, Matrix[]> batchBuffers = new HashMap<>();

    public Trainer(Mlp net) {
        this.net = net;
        this.be = net.backend();
    }

    /** Trains for config.epochs(), evaluating on train and test after each epoch. */
    public void train(DeviceData train, DeviceData test, TrainConfig config, RandomGenerator rng,
                      BatchListener batches, Consumer<EpochReport> epochs) {
        for (int e = 1; e <= config.epochs(); e++) {
            long start = System.nanoTime();
            double loss = epoch(train, config, rng, batches);
            long trained = System.nanoTime();
            Evaluation onTrain = evaluate(train), onTest = evaluate(test);
            long evaluated = System.nanoTime();
            epochs.accept(new EpochReport(e, loss, onTrain, onTest, (trained - start) / 1e9, (evaluated - trained) / 1e9));
        }
    }

    /** One epoch of SGD steps; returns the mean of the batch losses. */
    public double epoch(DeviceData train, TrainConfig config, RandomGenerator rng, BatchListener listener) {
        int[][] batches = config.batching() == TrainConfig.Batching.RANDOM
                ? randomBatches(train.rows(), config, rng)
                : shuffledBatches(train.rows(), config.batchSize(), rng);
        double sum = 0;
        for (int i = 0; i < batches.length; i++) {
            sum += step(train, batches[i], config.learningRate());
            listener.batchDone(i + 1, batches.length);
        }
        return batches.length == 0 ? 0 : sum / batches.length;
    }

    /** One SGD step on the given rows of train; returns the batch loss. */
    public double step(DeviceData train, int[] rows, double lr) {
        Matrix[] xt = gather(train, rows);
        double loss = net.forwardBackward(xt[0], xt[1]);
        net.sgdStep(lr);
        return loss;
    }

    /** Called with each chunk's first row, its outputs y: (rows, out) and targets t: (rows, out). */
    private interface ChunkVisitor {
        void visit(int start, Matrix y, Matrix t);
    }

    /** The network's outputs for every row of data, in chunks of EVAL_CHUNK rows. */
    private void forEachChunk(DeviceData data, ChunkVisitor visitor) {
        for (int start = 0; start < data.rows(); start += EVAL_CHUNK) {
            int[] rows = IntStream.range(start, Math.min(data.rows(), start + EVAL_CHUNK)).toArray();
            Matrix[] xt = gather(data, rows);
            visitor.visit(start, net.forward(xt[0]), xt[1]);
        }
    }

    /** Mean loss and correct count over every row of data. */
    public Evaluation evaluate(DeviceData data) {
        double[] lossSum = {0};
        int[] correct = {0};
        forEachChunk(data, (start, y, t) -> {
            lossSum[0] += net.loss(y, t) * y.rows();
            correct[0] += be.countCorrect(y, t);
        });
        return new Evaluation(data.rows() == 0 ? 0 : lossSum[0] / data.rows(), correct[0], data.rows());
    }

    /** The argmax of the network's output for every row of data. */
    public int[] predict(DeviceData data) {
        int[] out = new int[data.rows()];
        forEachChunk(data, (start, y, t) -> {
            int[] chunk = be.argmaxRows(y);
            System.arraycopy(chunk, 0, out, start, chunk.length);
        });
        return out;
    }

    /** batchesPerEpoch batches of batchSize row indices drawn uniformly with replacement. */
    static int[][] randomBatches(int rows, TrainConfig config, RandomGenerator rng) {
        int[][] batches = new int[config.batchesPerEpoch()][config.batchSize()];
        for (int[] batch : batches) {
            for (int i = 0; i < batch.length; i++) batch[i] = rng.nextInt(rows);
        }
        return batches;
    }

    /** A Fisher-Yates permutation of all rows cut into batches (the last may be shorter). */
    static int[][] shuffledBatches(int rows, int batchSize, RandomGenerator rng) {
        int[] order = IntStream.range(0, rows).toArray();
        for (int i = rows - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int tmp = order[i];
            order[i] = order[j];
            order[j] = tmp;
        }
        int[][] batches = new int[(rows + batchSize - 1) / batchSize][];
        for (int b = 0; b < batches.length; b++) {
            int from = b * batchSize;
            batches[b] = Arrays.copyOfRange(order, from, Math.min(rows, from + batchSize));
        }
        return batches;
    }

    /** data.x[rows, :]: (rows.length, in) and data.t[rows, :]: (rows.length, out), gathered on the device into reused buffers. */
    private Matrix[] gather(DeviceData data, int[] rows) {
        Matrix[] xt = batchBuffers.computeIfAbsent(rows.length, m -> new Matrix[] {
                be.allocate(m, data.x().cols()), be.allocate(m, data.t().cols())});
        be.gatherRows(data.x(), rows, xt[0]);
        be.gatherRows(data.t(), rows, xt[1]);
        return xt;
    }

    @Override
    public void close() {
        for (Matrix[] xt : batchBuffers.values()) {
            xt[0].close();
            xt[1].close();
        }
        batchBuffers.clear();
    }
}
