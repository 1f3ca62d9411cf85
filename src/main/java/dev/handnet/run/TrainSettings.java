package dev.handnet.run;

import dev.handnet.nn.Activation;
import dev.handnet.nn.Head;
import dev.handnet.nn.Preset;
import dev.handnet.nn.RandomSource;
import dev.handnet.nn.TrainConfig;
import dev.handnet.nn.WeightInit;

/**
 * Every setting of a training run, resolved (the options given, else the preset's): what
 * config.json records and what {@code --resume} continues with. limit is null for all rows.
 */
public record TrainSettings(Preset preset, int[] hidden, Activation activation, Head head, double learningRate, int batchSize,
                            int epochs, TrainConfig.Batching batching, int batchesPerEpoch, long seed, RandomSource rng,
                            WeightInit init, double biasInit, Integer limit, String data) {

    public TrainConfig config() {
        return new TrainConfig(learningRate, batchSize, epochs, batching, batchesPerEpoch);
    }

    /** The same settings, trained to a different number of epochs (a resumed run extended). */
    public TrainSettings withEpochs(int n) {
        return new TrainSettings(preset, hidden, activation, head, learningRate, batchSize, n, batching, batchesPerEpoch, seed, rng,
                init, biasInit, limit, data);
    }
}
