package dev.handnet.bench;

import dev.handnet.backend.Backend;
import dev.handnet.backend.Matrix;
import dev.handnet.backend.opencl.OpenClBackend;
import dev.handnet.bench.BenchReport.EpochRow;
import dev.handnet.data.Dataset;
import dev.handnet.nn.DeviceData;
import dev.handnet.nn.Mlp;
import dev.handnet.nn.Preset;
import dev.handnet.nn.TrainConfig;
import dev.handnet.nn.Trainer;

import java.util.Locale;
import java.util.random.RandomGenerator;

/**
 * Seconds per MNIST training epoch of a preset, through the code {@code handnet train} runs
 * (Mlp.initialize, DeviceData, Trainer.epoch) but without the evaluation train adds after each
 * epoch. The first epoch is a warm-up; the best of the timed ones is kept.
 */
final class EpochBench {

    /** Untimed epochs first: JIT compilation, first kernel launches, buffers allocated. */
    private static final int WARMUP_EPOCHS = 1;

    private EpochBench() {
    }

    /** One row: the preset trained on train for WARMUP_EPOCHS + timedEpochs epochs. */
    static EpochRow run(Backend be, String device, Preset preset, Dataset train, int timedEpochs) {
        RandomGenerator random = preset.rng.seeded(preset.seed);
        TrainConfig config = config(preset, train.rows(), WARMUP_EPOCHS + timedEpochs);
        int[] steps = {0};
        Trainer.BatchListener countSteps = (done, total, loss) -> steps[0] = total;
        try (Mlp net = Mlp.initialize(be, preset.architecture(train.features(), train.classes()), preset.init,
                     preset.biasInit, random);
             DeviceData data = DeviceData.upload(be, train);
             Trainer trainer = new Trainer(net);
             Matrix fence = be.allocate(1, 1)) {
            for (int e = 0; e < WARMUP_EPOCHS; e++) trainer.epoch(data, config, random, countSteps);
            double best = Double.MAX_VALUE;
            long transfers = 0;
            for (int e = 0; e < timedEpochs; e++) {
                long before = transfers(be), start = System.nanoTime();
                trainer.epoch(data, config, random, countSteps);
                transfers = transfers(be) - before;
                be.download(fence);  // the last step's update may still be queued on the device
                best = Math.min(best, (System.nanoTime() - start) / 1e9);
            }
            int rows = config.batching() == TrainConfig.Batching.SHUFFLE ? train.rows() : steps[0] * config.batchSize();
            return new EpochRow(device, preset.name().toLowerCase(Locale.ROOT), config.batchSize(), steps[0], rows, best,
                    be instanceof OpenClBackend ? (double) transfers / steps[0] : null);
        }
    }

    /**
     * The preset's settings, except that an epoch of random batches draws no more rows than train
     * has: all 60 batches of 1000 on MNIST, 5 on --quick's 5000 rows.
     */
    static TrainConfig config(Preset preset, int rows, int epochs) {
        TrainConfig c = preset.config(epochs);
        if (c.batching() != TrainConfig.Batching.RANDOM) return c;
        int batches = Math.max(1, Math.min(c.batchesPerEpoch(), rows / c.batchSize()));
        return new TrainConfig(c.learningRate(), c.batchSize(), epochs, c.batching(), batches);
    }

    /** Host round trips so far: OpenClBackend counts them; the CPU backend has none. */
    private static long transfers(Backend be) {
        return be instanceof OpenClBackend ocl ? ocl.transfers() : 0;
    }
}
