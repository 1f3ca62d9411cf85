package dev.handnet.nn;

import dev.handnet.backend.Backend;
import dev.handnet.data.Dataset;

import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * The same seeded training run on two backends: same initial weights, same batches, the same
 * hand-derived steps. Their loss curves and final weights differ only by rounding (float32's,
 * or float64's), which SGD carries forward, so the differences grow slowly with the number of steps.
 */
public final class TrainingParity {

    /** Per-step batch losses on each backend, and the largest differences seen. */
    public record Result(double[] lossesA, double[] lossesB, double maxLossDifference, double maxWeightDifference,
                         double maxWeight) {
    }

    private TrainingParity() {
    }

    public static Result run(Backend a, Backend b, Dataset train, Architecture arch, WeightInit init,
                             TrainConfig config, int steps, long seed) {
        if (steps < 1) throw new IllegalArgumentException("steps must be >= 1, got " + steps);
        if (train.rows() < 1) throw new IllegalArgumentException(train.name() + " has no rows to train on");
        int[][] batches = new int[steps][];
        Random order = new Random(seed + 1);
        for (int s = 0; s < steps; ) {
            for (int[] batch : Trainer.shuffledBatches(train.rows(), config.batchSize(), order)) {
                if (s < steps) batches[s++] = batch;
            }
        }
        double[] lossesA = new double[steps], lossesB = new double[steps];
        List<double[]> weightsA = train(a, train, arch, init, config, batches, seed, lossesA);
        List<double[]> weightsB = train(b, train, arch, init, config, batches, seed, lossesB);
        double maxLoss = 0, maxWeightDiff = 0, maxWeight = 0;
        for (int s = 0; s < steps; s++) maxLoss = Math.max(maxLoss, Math.abs(lossesA[s] - lossesB[s]));
        for (int p = 0; p < weightsA.size(); p++) {
            for (int i = 0; i < weightsA.get(p).length; i++) {
                maxWeightDiff = Math.max(maxWeightDiff, Math.abs(weightsA.get(p)[i] - weightsB.get(p)[i]));
                maxWeight = Math.max(maxWeight, Math.abs(weightsA.get(p)[i]));
            }
        }
        return new Result(lossesA, lossesB, maxLoss, maxWeightDiff, maxWeight);
    }

    private static List<double[]> train(Backend be, Dataset train, Architecture arch, WeightInit init, TrainConfig config,
                                        int[][] batches, long seed, double[] losses) {
        try (Mlp net = Mlp.initialize(be, arch, init, 0, new Random(seed));
             DeviceData data = DeviceData.upload(be, train);
             Trainer trainer = new Trainer(net)) {
            for (int s = 0; s < batches.length; s++) losses[s] = trainer.step(data, batches[s], config.learningRate());
            return net.parameters().stream().map(p -> be.downloadDoubles(p.value())).toList();
        }
    }

    /** A short description of a result for people. */
    public static String describe(Result r) {
        int n = r.lossesA().length;
        return String.format(java.util.Locale.ROOT,
                "%d steps: loss %.6f -> %.6f vs %.6f -> %.6f, max loss difference %.2e, max weight difference %.2e (largest weight %.2f)",
                n, r.lossesA()[0], r.lossesA()[n - 1], r.lossesB()[0], r.lossesB()[n - 1], r.maxLossDifference(),
                r.maxWeightDifference(), r.maxWeight()) + (Arrays.stream(r.lossesA()).anyMatch(Double::isNaN) ? " (NaN!)" : "");
    }
}
