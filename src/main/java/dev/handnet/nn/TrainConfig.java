package dev.handnet.nn;

/**
 * How to train: SGD with a fixed learning rate over mini-batches.
 * With {@link Batching#RANDOM}, each epoch draws batchesPerEpoch batches of batchSize rows
 * with replacement (as the tutorial does); with {@link Batching#SHUFFLE}, each epoch visits
 * every row once in a fresh random order (batchesPerEpoch is then ceil(rows / batchSize)).
 */
public record TrainConfig(double learningRate, int batchSize, int epochs, Batching batching, int batchesPerEpoch) {

    public enum Batching { RANDOM, SHUFFLE }

    public TrainConfig {
        if (!(learningRate > 0) || learningRate == Double.POSITIVE_INFINITY) {
            throw new IllegalArgumentException("learning rate must be a finite number > 0, got " + learningRate);
        }
        if (batchSize < 1) throw new IllegalArgumentException("batch size must be >= 1, got " + batchSize);
        if (epochs < 0) throw new IllegalArgumentException("epochs must be >= 0, got " + epochs);
        if (batching == Batching.RANDOM && batchesPerEpoch < 1) {
            throw new IllegalArgumentException("batches per epoch must be >= 1, got " + batchesPerEpoch);
        }
    }
}
