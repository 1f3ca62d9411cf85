package dev.handnet.nn;

import dev.handnet.backend.Backend;
import dev.handnet.backend.DeviceException;
import dev.handnet.backend.Indices;
import dev.handnet.backend.Matrix;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.random.RandomGenerator;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.DoubleSupplier;
import java.util.stream.IntStream;

/**
 * Drives SGD on any backend. Batch indices are drawn on the host from a seeded generator, so
 * every backend sees the same batches. An epoch uploads its whole batch order once, gathers each
 * batch's rows on the device and adds each batch's loss into its own column of a row there,
 * read once at the end: on a device, the steps between wait for nothing.
 */
public final class Trainer implements AutoCloseable {

    /** Rows per forward pass when evaluating a whole set. */
    static final int EVAL_CHUNK = 1000;

    /** Called after each batch is queued. */
    public interface BatchListener {
        /**
         * done of total batches; meanLoss reads the mean batch loss so far from the device,
         * which waits for it: call it for a progress line a few times a second, not every batch.
         */
        void batchDone(int done, int total, DoubleSupplier meanLoss);
    }

    private final Mlp net;
    private final Backend be;
    /** After every step, look at every activation, gradient and parameter (--nan-check). */
    private final boolean nanCheck;
    private final Map<Integer, Matrix[]> batchBuffers = new HashMap<>();
    /** 0, 1, ..., rows - 1 by rows: a data set's rows in order, for evaluation (a gather checks every index against its source). */
    private final Map<Integer, Indices> inOrder = new HashMap<>();

    public Trainer(Mlp net) {
        this(net, false);
    }

    /**
     * With nanCheck, every step is followed by a download of every activation, gradient and
     * parameter, and the first that is not finite (in the order the step computed them) stops
     * training by name: slow, for debugging a run that diverges.
     */
    public Trainer(Mlp net, boolean nanCheck) {
        this.net = net;
        this.be = net.backend();
        this.nanCheck = nanCheck;
    }

    /**
     * Trains for config.epochs(), evaluating on train and test after each epoch. Stops with
     * {@link DivergedException} naming the epoch and batch where a loss stopped being finite,
     * and with {@link DeviceFailedException} naming where the device failed, before that epoch
     * is reported.
     */
    public void train(DeviceData train, DeviceData test, TrainConfig config, RandomGenerator rng,
                      BatchListener batches, Consumer<EpochReport> epochs) {
        train(train, test, config, rng, Resume.START, () -> false, batches, epochs);
    }

    /**
     * Where a run continues: after {@code epoch} whole epochs and {@code batch} batches of the
     * next, with the generator as it was at the start of that next epoch (its batch order is
     * drawn again, and the first {@code batch} batches skipped).
     */
    public record Resume(int epoch, int batch) {
        public static final Resume START = new Resume(0, 0);
    }

    /**
     * Training stopped on request (Ctrl-C) after a whole step: epoch (1-based) had batchesDone
     * of its batches applied; rngAtEpochStart is the generator's state before the epoch drew its
     * batch order, so that {@code Resume(epoch - 1, batchesDone)} with it continues exactly.
     */
    public static final class Stopped extends RuntimeException {
        public final int epoch, batchesDone, batches;
        public final String rngAtEpochStart;

        Stopped(int epoch, int batchesDone, int batches, String rngAtEpochStart) {
            super(batchesDone > 0 ? "stopped in epoch " + epoch + " after batch " + batchesDone + " of " + batches
                    : "stopped after epoch " + (epoch - 1));
            this.epoch = epoch;
            this.batchesDone = batchesDone;
            this.batches = batches;
            this.rngAtEpochStart = rngAtEpochStart;
        }
    }

    /**
     * {@link #train(DeviceData, DeviceData, TrainConfig, RandomGenerator, BatchListener, Consumer)}
     * from a resume point, asking stop after every step (after the batch listener): when it says
     * so, {@link Stopped} there, or, at an epoch's last step, once the epoch is reported.
     */
    public void train(DeviceData train, DeviceData test, TrainConfig config, RandomGenerator rng, Resume from,
                      BooleanSupplier stop, BatchListener batches, Consumer<EpochReport> epochs) {
        for (int e = from.epoch() + 1; e <= config.epochs(); e++) {
            long start = System.nanoTime();
            double loss;
            try {
                loss = epoch(train, config, rng, e == from.epoch() + 1 ? from.batch() : 0, stop, batches);
            } catch (Stopped s) {
                throw new Stopped(e, s.batchesDone, s.batches, s.rngAtEpochStart);
            } catch (DivergedException d) {
                throw d.inEpoch(e);
            } catch (DeviceFailedException d) {
                throw new DeviceFailedException(e, d.batch(), d.batches(), d.getCause());
            }
            long trained = System.nanoTime();
            Evaluation onTrain, onTest;
            try {
                onTrain = evaluate(train);
                onTest = evaluate(test);
            } catch (DeviceException d) {
                throw new DeviceFailedException(e, 0, 0, d);
            }
            if (!Double.isFinite(onTrain.loss())) {
                throw new DivergedException(e, 0, 0, onTrain.loss(), config.learningRate());
            }
            long evaluated = System.nanoTime();
            epochs.accept(new EpochReport(e, loss, onTrain, onTest, (trained - start) / 1e9, (evaluated - trained) / 1e9));
            // asked at the last step: the epoch is finished and reported, and the run stops before the next
            if (e < config.epochs() && stop.getAsBoolean()) throw new Stopped(e + 1, 0, 0, RandomState.saveOrNull(rng));
        }
    }

    /**
     * One epoch of SGD steps; returns the mean of the batch losses. Each batch adds its loss into
     * its own column of a row on the backend, read once at the end (and when the listener asks),
     * so a batch whose loss is not finite is found by number: {@link DivergedException}. A device
     * failure is a {@link DeviceFailedException} naming the batch.
     */
    public double epoch(DeviceData train, TrainConfig config, RandomGenerator rng, BatchListener listener) {
        return epoch(train, config, rng, 0, () -> false, listener);
    }

    /** An epoch whose first skip batches were already applied (a resumed run), checking stop after each step. */
    private double epoch(DeviceData train, TrainConfig config, RandomGenerator rng, int skip, BooleanSupplier stop,
                         BatchListener listener) {
        String atStart = RandomState.saveOrNull(rng);
        int[][] batches = config.batching() == TrainConfig.Batching.RANDOM
                ? randomBatches(train.rows(), config, rng)
                : shuffledBatches(train.rows(), config.batchSize(), rng);
        if (batches.length == 0) return 0;
        int[] order = Arrays.stream(batches).flatMapToInt(Arrays::stream).toArray();
        int batch = skip + 1;
        try (Indices onDevice = be.uploadIndices(order); Matrix losses = be.allocate(1, batches.length)) {
            int from = 0;
            for (int i = 0; i < skip; i++) from += batches[i].length;
            for (int i = skip; i < batches.length; i++, batch++) {
                step(train, onDevice, from, batches[i].length, config.learningRate(), losses, i);
                from += batches[i].length;
                int done = i + 1;
                if (nanCheck) {
                    String bad = net.firstNonFinite();
                    if (bad != null) throw new DivergedException(0, done, batches.length, bad, config.learningRate());
                }
                listener.batchDone(done, batches.length, () -> meanLoss(be.downloadDoubles(losses), skip, done, config));
                if (done < batches.length && stop.getAsBoolean()) throw new Stopped(0, done, batches.length, atStart);
            }
            return meanLoss(be.downloadDoubles(losses), skip, batches.length, config);
        } catch (DeviceException d) {
            throw new DeviceFailedException(0, batch > batches.length ? 0 : batch, batches.length, d);
        }
    }

    /** The mean of batch losses from to n - 1, or DivergedException naming the first that is not finite. */
    private static double meanLoss(double[] losses, int from, int n, TrainConfig config) {
        double sum = 0;
        for (int i = from; i < n; i++) {
            if (!Double.isFinite(losses[i])) throw new DivergedException(0, i + 1, losses.length, losses[i], config.learningRate());
            sum += losses[i];
        }
        return sum / Math.max(1, n - from);
    }

    /** One SGD step on the given rows of train; returns the batch loss (a step's upload and read: for tests and parity). */
    public double step(DeviceData train, int[] rows, double lr) {
        try (Indices onDevice = be.uploadIndices(rows)) {
            return be.readLoss(losses -> step(train, onDevice, 0, rows.length, lr, losses, 0));
        }
    }

    /** An SGD step on the m rows of train listed at rows[from ..]; adds the batch loss to losses[0, at]. */
    private void step(DeviceData train, Indices rows, int from, int m, double lr, Matrix losses, int at) {
        Matrix[] xt = gather(train, rows, from, m);
        net.forwardBackward(xt[0], xt[1], losses, at);
        net.sgdStep(lr);
    }

    /** Called with each chunk's first row, its outputs y: (rows, out) and targets t: (rows, out). */
    private interface ChunkVisitor {
        void visit(int start, Matrix y, Matrix t);
    }

    /** The network's outputs for every row of data, in chunks of EVAL_CHUNK rows. */
    private void forEachChunk(DeviceData data, ChunkVisitor visitor) {
        Indices rows = inOrder.computeIfAbsent(data.rows(), n -> be.uploadIndices(IntStream.range(0, n).toArray()));
        for (int start = 0; start < data.rows(); start += EVAL_CHUNK) {
            Matrix[] xt = gather(data, rows, start, Math.min(EVAL_CHUNK, data.rows() - start));
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

    /** The network's outputs for every row of data: (rows, out) row-major. */
    public float[] outputs(DeviceData data) {
        int out = net.architecture().outputs();
        float[] all = new float[data.rows() * out];
        forEachChunk(data, (start, y, t) -> System.arraycopy(be.download(y), 0, all, start * out, y.rows() * out));
        return all;
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

    /** The m rows listed at rows[from ..] of data.x: (m, in) and data.t: (m, out), gathered on the device into reused buffers. */
    private Matrix[] gather(DeviceData data, Indices rows, int from, int m) {
        Matrix[] xt = batchBuffers.computeIfAbsent(m, k -> new Matrix[] {
                be.allocate(k, data.x().cols()), be.allocate(k, data.t().cols())});
        be.gatherRows(data.x(), rows, from, xt[0]);
        be.gatherRows(data.t(), rows, from, xt[1]);
        return xt;
    }

    @Override
    public void close() {
        for (Matrix[] xt : batchBuffers.values()) {
            xt[0].close();
            xt[1].close();
        }
        batchBuffers.clear();
        inOrder.values().forEach(Indices::close);
        inOrder.clear();
    }
}
