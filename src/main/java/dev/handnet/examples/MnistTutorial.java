package dev.handnet.examples;

import dev.handnet.cli.Values;
import dev.handnet.backend.Backend;
import dev.handnet.backend.Precision;
import dev.handnet.data.DataRoot;
import dev.handnet.data.Dataset;
import dev.handnet.data.Mnist;
import dev.handnet.nn.Architecture;
import dev.handnet.nn.DeviceData;
import dev.handnet.nn.Evaluation;
import dev.handnet.nn.Mlp;
import dev.handnet.nn.Preset;
import dev.handnet.nn.RandomSource;
import dev.handnet.nn.TrainConfig;
import dev.handnet.nn.Trainer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.random.RandomGenerator;

/**
 * The MNIST tutorial exactly: {@code handnet train --preset tutorial}, that is 784-100-10 with
 * sigmoid units and the tutorial's normalised-sigmoid output, W = randn, biases 0.1, learning
 * rate 2.0, and per epoch 60 batches of 1000 rows from {@code np.random.randint(60000,
 * size=60000)}, all drawn by numpy's generator seeded with 21. The tutorial reports 91.57% test
 * accuracy and a test loss of 0.063376 after 100 epochs. Its numpy runs in float64, this in
 * float32 by default (as {@code train} does; {@code --precision float64} is there, and slow):
 * the weights and batches are the tutorial's, the rounding is not, so the last digits of the
 * result are handnet's own.
 */
@Command(name = "mnist-tutorial", mixinStandardHelpOptions = true,
        description = "The MNIST tutorial's run (784-100-10, numpy seed 21, 100 epochs) beside its published 91.57%.")
public final class MnistTutorial implements Callable<Integer> {

    static final double PUBLISHED_ACCURACY = 0.9157;
    static final double PUBLISHED_LOSS = 0.063376;

    @Spec
    CommandSpec spec;

    /** float32 by default, as {@code train} runs it: float64 MNIST is far slower on both backends. */
    @Mixin
    ExampleOptions options = new ExampleOptions(Precision.FLOAT32);

    @Option(names = "--epochs", converter = Values.Count.class, paramLabel = "N", description = "Epochs (default: ${DEFAULT-VALUE}, as published).")
    int epochs = Preset.TUTORIAL.epochs;

    @Option(names = "--rng", paramLabel = "NAME", description = "numpy (default: the tutorial's draws) or java.")
    RandomSource rng = RandomSource.NUMPY;

    /** Epochs trained, and the test set's accuracy and loss after the last one. */
    public record Result(int epochs, Evaluation test) {
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        try (Backend be = options.open()) {
            Result r = run(be, Mnist.load(DataRoot.resolve("mnist")), epochs, rng, out);
            out.printf(Locale.ROOT, "handnet:   test accuracy %.2f%%  test loss %.6f after %d epochs%n",
                    100 * r.test.accuracy(), r.test.loss(), r.epochs);
            out.printf(Locale.ROOT, "published: test accuracy %.2f%%  test loss %.6f after 100 epochs%n",
                    100 * PUBLISHED_ACCURACY, PUBLISHED_LOSS);
        }
        return 0;
    }

    public static Result run(Backend be, Mnist.Split mnist, int epochs, RandomSource source, PrintWriter out) {
        Preset p = Preset.TUTORIAL;
        Dataset train = mnist.train(), test = mnist.test();
        Architecture arch = p.architecture(train.features(), train.classes());
        TrainConfig config = p.config(epochs);
        out.printf(Locale.ROOT, "mnist-tutorial on %s: %s, lr %s, %d random batches of %d per epoch, seed %d (%s)%n",
                be.name(), arch.describe(), p.learningRate, p.batchesPerEpoch, p.batchSize, p.seed,
                source.name().toLowerCase(Locale.ROOT));
        RandomGenerator random = source.seeded(p.seed);
        try (Mlp net = Mlp.initialize(be, arch, p.init, p.biasInit, random);
             DeviceData trainData = DeviceData.upload(be, train);
             DeviceData testData = DeviceData.upload(be, test);
             Trainer trainer = new Trainer(net)) {
            // Only the test set is evaluated after each epoch (Trainer.train would also evaluate the 60 000 training rows).
            Evaluation result = null;
            for (int e = 1; e <= epochs; e++) {
                trainer.epoch(trainData, config, random, (done, total, loss) -> { });
                result = trainer.evaluate(testData);
                out.printf(Locale.ROOT, "epoch %3d/%d  test accuracy %6.2f%%  test loss %.6f%n",
                        e, epochs, 100 * result.accuracy(), result.loss());
            }
            return new Result(epochs, result);
        }
    }
}
