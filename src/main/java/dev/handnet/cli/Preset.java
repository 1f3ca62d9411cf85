package dev.handnet.cli;

import dev.handnet.nn.Head;
import dev.handnet.nn.TrainConfig.Batching;
import dev.handnet.nn.WeightInit;

/** Named training configurations; any option given on the command line overrides its value. */
enum Preset {

    /**
     * The published MNIST tutorial: 784-100-10, sigmoid hidden, sigmoid outputs normalised by
     * their row sum, N(0, 1) weights, biases 0.1, 60 batches of 1000 drawn with replacement per
     * epoch, learning rate 2.0, seed 21, 100 epochs. The tutorial reports 91.57% test accuracy.
     */
    TUTORIAL(new int[] {100}, Head.TUTORIAL, WeightInit.NORMAL, 0.1, 2.0, 1000, 100, Batching.RANDOM, 60, 21),

    /** Softmax + cross-entropy, Glorot weights, shuffled epochs: >= 97.5% test accuracy in 10 epochs. */
    MODERN(new int[] {100}, Head.CE, WeightInit.GLOROT, 0.0, 1.0, 32, 10, Batching.SHUFFLE, 0, 1);

    final int[] hidden;
    final Head head;
    final WeightInit init;
    final double biasInit;
    final double learningRate;
    final int batchSize;
    final int epochs;
    final Batching batching;
    final int batchesPerEpoch;
    final long seed;

    Preset(int[] hidden, Head head, WeightInit init, double biasInit, double learningRate, int batchSize,
           int epochs, Batching batching, int batchesPerEpoch, long seed) {
        this.hidden = hidden;
        this.head = head;
        this.init = init;
        this.biasInit = biasInit;
        this.learningRate = learningRate;
        this.batchSize = batchSize;
        this.epochs = epochs;
        this.batching = batching;
        this.batchesPerEpoch = batchesPerEpoch;
        this.seed = seed;
    }
}
