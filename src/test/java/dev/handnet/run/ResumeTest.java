package dev.handnet.run;

import dev.handnet.backend.Precision;
import dev.handnet.backend.cpu.CpuBackend;
import dev.handnet.data.DataRoot;
import dev.handnet.data.Dataset;
import dev.handnet.data.Mnist;
import dev.handnet.io.Checkpoint;
import dev.handnet.nn.DeviceData;
import dev.handnet.nn.Mlp;
import dev.handnet.nn.Preset;
import dev.handnet.nn.RandomState;
import dev.handnet.nn.TrainConfig;
import dev.handnet.nn.Trainer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Exact resume on the CPU backend: 1 epoch, saved, then resumed to 2 gives the weights of 2
 * epochs straight, bit for bit; so does a run stopped after step k of epoch 2 and resumed from
 * the checkpoint it saved. For both generators (Java's and numpy's) and both batchings.
 */
class ResumeTest {

    private static final Dataset TRAIN = Mnist.load(DataRoot.resolve("mnist")).train().head(2000);

    @ParameterizedTest
    @EnumSource(Preset.class)
    void oneEpochThenResumeIsTwoEpochsStraight(Preset preset) {
        List<float[]> straight = train(preset, 2, Trainer.Resume.START, null, null);
        // epoch 1, then a checkpoint with the generator's state, then a fresh process's view: load and continue
        Checkpoint[] saved = new Checkpoint[1];
        train(preset, 1, Trainer.Resume.START, null, (net, rng) -> saved[0] = Checkpoint.of(net).with("rng", RandomState.save(rng)));
        List<float[]> resumed = trainFrom(preset, saved[0], new Trainer.Resume(1, 0), RandomState.restore(saved[0].metadata().get("rng")));
        assertBitIdentical(straight, resumed);
    }

    @ParameterizedTest
    @EnumSource(Preset.class)
    void aRunStoppedMidEpochResumesExactly(Preset preset) {
        List<float[]> straight = train(preset, 2, Trainer.Resume.START, null, null);
        Trainer.Stopped stopped = assertThrows(Trainer.Stopped.class, () -> train(preset, 2, Trainer.Resume.START,
                () -> steps >= batchesPerEpoch(preset) + 5, null));
        assertEquals(2, stopped.epoch);
        assertEquals(5, stopped.batchesDone, "stops after whole steps only");
        List<float[]> resumed = trainFrom(preset, lastStopped, new Trainer.Resume(1, stopped.batchesDone),
                RandomState.restore(stopped.rngAtEpochStart));
        assertBitIdentical(straight, resumed);
    }

    private static int batchesPerEpoch(Preset preset) {
        TrainConfig c = config(preset, 1);
        return c.batching() == TrainConfig.Batching.RANDOM ? c.batchesPerEpoch() : (TRAIN.rows() + c.batchSize() - 1) / c.batchSize();
    }

    /** The tutorial preset draws 600 random batches of 10 an epoch; fewer keep the test quick. */
    private static TrainConfig config(Preset preset, int epochs) {
        TrainConfig c = preset.config(epochs);
        return new TrainConfig(c.learningRate(), c.batchSize(), epochs, c.batching(), Math.min(c.batchesPerEpoch(), 50));
    }

    private static Checkpoint lastStopped;
    /** Steps done by the current run, counted by its batch listener (which runs before stop is asked). */
    private static int steps;

    private interface AfterEpochs {
        void accept(Mlp net, RandomGenerator rng);
    }

    /** Trains preset's network from its seed; stop, when given, is asked after every step; after gets the net at the end. */
    private static List<float[]> train(Preset preset, int epochs, Trainer.Resume from, java.util.function.BooleanSupplier stop,
                                       AfterEpochs after) {
        RandomGenerator rng = preset.rng.seeded(preset.seed);
        try (CpuBackend be = new CpuBackend(Precision.FLOAT32, 2);
             Mlp net = Mlp.initialize(be, preset.architecture(784, 10), preset.init, preset.biasInit, rng)) {
            return run(be, net, preset, epochs, from, rng, stop, after);
        }
    }

    private static List<float[]> trainFrom(Preset preset, Checkpoint c, Trainer.Resume from, RandomGenerator rng) {
        try (CpuBackend be = new CpuBackend(Precision.FLOAT32, 2);
             Mlp net = c.toMlp(be)) {
            return run(be, net, preset, 2, from, rng, null, null);
        }
    }

    private static List<float[]> run(CpuBackend be, Mlp net, Preset preset, int epochs, Trainer.Resume from, RandomGenerator rng,
                                     java.util.function.BooleanSupplier stop, AfterEpochs after) {
        try (DeviceData d = DeviceData.upload(be, TRAIN);
             Trainer trainer = new Trainer(net)) {
            try {
                steps = 0;
                trainer.train(d, d, config(preset, epochs), rng, from, stop != null ? stop : () -> false, (done, total, loss) -> steps++,
                        r -> { });
            } catch (Trainer.Stopped s) {
                lastStopped = Checkpoint.of(net);
                throw s;
            }
            if (after != null) after.accept(net, rng);
            List<float[]> weights = new ArrayList<>();
            for (var p : net.parameters()) weights.add(be.download(p.value()));
            return weights;
        }
    }

    private static void assertBitIdentical(List<float[]> a, List<float[]> b) {
        assertEquals(a.size(), b.size());
        for (int i = 0; i < a.size(); i++) {
            int[] x = new int[a.get(i).length], y = new int[b.get(i).length];
            for (int k = 0; k < x.length; k++) {
                x[k] = Float.floatToRawIntBits(a.get(i)[k]);
                y[k] = Float.floatToRawIntBits(b.get(i)[k]);
            }
            assertArrayEquals(x, y, "parameter " + i + " bit for bit");
        }
    }
}
