package dev.handnet.nn;

import dev.handnet.backend.Precision;
import dev.handnet.backend.cpu.CpuBackend;
import dev.handnet.data.Dataset;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Random;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TrainerTest {

    @Test
    void shuffledBatchesVisitEveryRowOnce() {
        int[][] batches = Trainer.shuffledBatches(103, 10, new Random(5));
        assertEquals(11, batches.length);
        assertEquals(3, batches[10].length);
        int[] all = Arrays.stream(batches).flatMapToInt(Arrays::stream).sorted().toArray();
        assertArrayEquals(IntStream.range(0, 103).toArray(), all);
    }

    @Test
    void randomBatchesAreDrawnWithReplacementFromTheSeed() {
        TrainConfig c = new TrainConfig(1, 50, 1, TrainConfig.Batching.RANDOM, 4);
        int[][] a = Trainer.randomBatches(60, c, new Random(9));
        int[][] b = Trainer.randomBatches(60, c, new Random(9));
        assertEquals(4, a.length);
        assertTrue(Arrays.deepEquals(a, b), "same seed, same batches");
        assertTrue(Arrays.stream(a).flatMapToInt(Arrays::stream).allMatch(i -> i >= 0 && i < 60));
        long distinct = Arrays.stream(a[0]).distinct().count();
        assertTrue(distinct < 50, "50 draws from 60 rows with replacement repeat some row");
    }

    /** Two Gaussian blobs: a 2-8-2 sigmoid network with cross-entropy must separate them. */
    @Test
    void trainingLowersTheLossAndLearnsASeparableProblem() {
        Random rng = new Random(3);
        int n = 400;
        float[] x = new float[n * 2];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i % 2;
            double centre = labels[i] == 0 ? -1 : 1;
            x[2 * i] = (float) (centre + 0.5 * rng.nextGaussian());
            x[2 * i + 1] = (float) (centre + 0.5 * rng.nextGaussian());
        }
        Dataset d = new Dataset("blobs", x, n, 2, labels, 2);
        Architecture arch = new Architecture(new int[] {2, 8, 2}, Activation.SIGMOID, Head.CE, true);
        try (CpuBackend be = new CpuBackend(Precision.FLOAT32, 2);
             Mlp net = Mlp.initialize(be, arch, WeightInit.GLOROT, 0, new Random(1));
             DeviceData data = DeviceData.upload(be, d);
             Trainer trainer = new Trainer(net)) {
            Evaluation before = trainer.evaluate(data);
            TrainConfig config = new TrainConfig(0.5, 20, 20, TrainConfig.Batching.SHUFFLE, 0);
            for (int e = 0; e < config.epochs(); e++) trainer.epoch(data, config, rng, (done, total, loss) -> { });
            Evaluation after = trainer.evaluate(data);
            assertTrue(after.loss() < before.loss() / 3, before.loss() + " -> " + after.loss());
            assertTrue(after.accuracy() > 0.95, "accuracy " + after.accuracy());
        }
    }

    /** Training sets are larger than test sets: evaluating a large set, then a smaller one, then the large again. */
    @Test
    void evaluatesSetsOfEveryOrderOfSizes() {
        Architecture arch = new Architecture(new int[] {2, 3, 2}, Activation.SIGMOID, Head.CE, true);
        Dataset large = blobs(2500, new Random(4)), small = blobs(700, new Random(5));
        try (CpuBackend be = new CpuBackend(Precision.FLOAT32, 1);
             Mlp net = Mlp.initialize(be, arch, WeightInit.GLOROT, 0, new Random(1));
             DeviceData l = DeviceData.upload(be, large);
             DeviceData s = DeviceData.upload(be, small);
             Trainer trainer = new Trainer(net)) {
            Evaluation first = trainer.evaluate(l);
            assertEquals(700, trainer.evaluate(s).rows());
            assertEquals(first, trainer.evaluate(l));
        }
    }

    private static Dataset blobs(int n, Random rng) {
        float[] x = new float[n * 2];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i % 2;
            x[2 * i] = (float) ((labels[i] == 0 ? -1 : 1) + 0.5 * rng.nextGaussian());
            x[2 * i + 1] = (float) rng.nextGaussian();
        }
        return new Dataset("blobs", x, n, 2, labels, 2);
    }
}
