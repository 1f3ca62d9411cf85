package dev.handnet.cli;

import dev.handnet.backend.Backend;
import dev.handnet.backend.DeviceException;
import dev.handnet.data.Dataset;
import dev.handnet.data.Mnist;
import dev.handnet.io.Checkpoint;
import dev.handnet.io.MetricsFile;
import dev.handnet.io.OutputFiles;
import dev.handnet.nn.Activation;
import dev.handnet.nn.Architecture;
import dev.handnet.nn.DeviceData;
import dev.handnet.nn.EpochReport;
import dev.handnet.nn.Mlp;
import dev.handnet.nn.Preset;
import dev.handnet.nn.TrainConfig;
import dev.handnet.nn.Trainer;
import dev.handnet.nn.Head;
import dev.handnet.nn.RandomSource;
import dev.handnet.nn.WeightInit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.random.RandomGenerator;
import java.util.concurrent.Callable;

/** {@code handnet train}: trains an MLP on MNIST, printing one line per epoch, saving a checkpoint. */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Train an MLP on MNIST (or any dataset in its IDX layout) with hand-derived backprop and SGD.")
final class TrainCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--preset", paramLabel = "NAME", defaultValue = "modern",
            description = "tutorial (the published run, 91.57%%) or modern (softmax + CE, >= 97.5%% in 10 epochs). Default: ${DEFAULT-VALUE}.")
    Preset preset;

    @Mixin
    DeviceOption device;

    @Mixin
    DataOption data;

    @Option(names = "--hidden", converter = Values.Count.class, split = ",", paramLabel = "N", description = "Hidden layer sizes, e.g. 100 or 256,128.")
    int[] hidden;

    @Option(names = "--activation", paramLabel = "NAME", description = "Hidden activation: sigmoid or identity.")
    Activation activation;

    @Option(names = "--head", paramLabel = "NAME", description = "Output head: mse, ce, tutorial or linear (y = z, MSE).")
    Head head;

    @Option(names = "--lr", converter = Values.Positive.class, paramLabel = "RATE", description = "Learning rate.")
    Double lr;

    @Option(names = "--batch", converter = Values.Count.class, paramLabel = "ROWS", description = "Mini-batch size.")
    Integer batch;

    @Option(names = "--epochs", converter = Values.Count.class, paramLabel = "N", description = "Epochs.")
    Integer epochs;

    @Option(names = "--batching", paramLabel = "MODE", description = "random (draws with replacement) or shuffle (shuffled epochs).")
    TrainConfig.Batching batching;

    @Option(names = "--batches-per-epoch", converter = Values.Count.class, paramLabel = "N", description = "Batches per epoch with --batching random.")
    Integer batchesPerEpoch;

    @Option(names = "--seed", paramLabel = "N", description = "Seed for initial weights and batch order.")
    Long seed;

    @Option(names = "--rng", paramLabel = "NAME",
            description = "Generator for weights and batches: java or numpy (np.random.seed's draws; default for the tutorial preset).")
    RandomSource rng;

    @Option(names = "--init", paramLabel = "NAME", description = "Weight init: normal (N(0,1)) or glorot (Xavier uniform).")
    WeightInit init;

    @Option(names = "--bias-init", converter = Values.Finite.class, paramLabel = "VALUE", description = "Initial value of every bias.")
    Double biasInit;

    @Option(names = "--limit", converter = Values.Count.class, paramLabel = "ROWS", description = "Use only the first ROWS training and test rows (quick runs).")
    Integer limit;

    @Option(names = "--save", paramLabel = "FILE",
            description = "Checkpoint written after every epoch (default: models/<preset>.hnet).")
    Path save;

    @Option(names = "--metrics", paramLabel = "FILE", description = "Also write one CSV row per epoch to FILE.")
    Path metrics;

    @Option(names = "--nan-check",
            description = "Check every activation, gradient and parameter after every step and name the first that is not finite (slow; for debugging).")
    boolean nanCheck;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        TrainConfig config = config();
        long s = seed != null ? seed : preset.seed;
        Path savePath = save != null ? save : Path.of("models", preset.name().toLowerCase(Locale.ROOT) + ".hnet");
        // Fail now, not after the first epoch, when an output cannot be written.
        OutputFiles.requireWritable(save != null ? "--save" : "the default --save", savePath);
        if (metrics != null) OutputFiles.requireWritable("--metrics", metrics);

        Mnist.Split split = data.load();
        Dataset train = limit != null ? split.train().head(limit) : split.train();
        Dataset test = limit != null ? split.test().head(limit) : split.test();
        Architecture sized = architecture(train.features(), train.classes());

        try (Backend be = device.open();
             MetricsFile csv = metrics != null ? MetricsFile.create(metrics) : null) {
            out.printf(Locale.ROOT, "train %s on %s: %d train, %d test rows%n", sized.describe(),
                    data.resolve(), train.rows(), test.rows());
            RandomSource source = rng != null ? rng : preset.rng;
            out.printf(Locale.ROOT, "device %s; lr %s, batch %d, %s, %d epochs, seed %d (%s)%n", be.name(),
                    config.learningRate(), config.batchSize(), describe(config), config.epochs(), s,
                    source.name().toLowerCase(Locale.ROOT));
            RandomGenerator random = source.seeded(s);
            try (Mlp net = Mlp.initialize(be, sized, init != null ? init : preset.init,
                         biasInit != null ? biasInit : preset.biasInit, random);
                 DeviceData trainData = DeviceData.upload(be, train);
                 DeviceData testData = DeviceData.upload(be, test);
                 Trainer trainer = new Trainer(net, nanCheck);
                 ProgressLine progress = new ProgressLine(out)) {
                int[] saved = {0};
                boolean existed = Files.exists(savePath);
                try {
                    trainer.train(trainData, testData, config, random, progress, report -> {
                        progress.clear();
                        out.println(format(report, config.epochs()));
                        save(net, savePath);
                        saved[0] = report.epoch();
                        if (csv != null) csv.append(report);
                    });
                } catch (DeviceException e) {
                    throw withCheckpoint(e, savePath, saved[0], existed);
                }
            }
            if (config.epochs() > 0) out.println("saved " + savePath);
        }
        return 0;
    }

    /** Saves after an epoch; a failure stops training with the file named, the previous checkpoint intact. */
    private static void save(Mlp net, Path path) {
        try {
            Checkpoint.of(net).save(path);
        } catch (IOException e) {
            throw new UncheckedIOException(e.getMessage(), e);   // names the file and the cause
        }
    }

    /** A device failure in training, saying which checkpoint is left: the last one saved, or none. */
    private static DeviceException withCheckpoint(DeviceException e, Path path, int savedEpoch, boolean existed) {
        String left = savedEpoch > 0 ? "the last checkpoint, " + path + " (epoch " + savedEpoch + "), is intact"
                : existed ? "no epoch finished; " + path + " from an earlier run is untouched"
                : "no epoch finished, so no checkpoint was saved";
        return new DeviceException(e.getMessage() + "; " + left, e);
    }

    /** in-hidden...-out, with hidden sizes, activation and head from the options, else the preset. */
    private Architecture architecture(int in, int out) {
        int[] h = hidden != null ? hidden : preset.hidden();
        int[] sizes = Architecture.sizes(in, h, out);
        return new Architecture(sizes, activation != null ? activation : Activation.SIGMOID,
                head != null ? head : preset.head, true);
    }

    private TrainConfig config() {
        return new TrainConfig(lr != null ? lr : preset.learningRate,
                batch != null ? batch : preset.batchSize,
                epochs != null ? epochs : preset.epochs,
                batching != null ? batching : preset.batching,
                batchesPerEpoch != null ? batchesPerEpoch : preset.batchesPerEpoch);
    }

    private static String describe(TrainConfig c) {
        return c.batching() == TrainConfig.Batching.RANDOM
                ? c.batchesPerEpoch() + " random batches per epoch"
                : "shuffled epochs";
    }

    static String format(EpochReport r, int epochs) {
        return String.format(Locale.ROOT, "epoch %3d/%d  loss %.6f  train %6.2f%%  test %6.2f%%  test loss %.6f  %5.0f ms (+ %.0f ms eval)",
                r.epoch(), epochs, r.batchLoss(), 100 * r.train().accuracy(), 100 * r.test().accuracy(),
                r.test().loss(), 1000 * r.trainSeconds(), 1000 * r.evalSeconds());
    }
}
