package dev.handnet.cli;

import dev.handnet.backend.Backend;
import dev.handnet.backend.DeviceException;
import dev.handnet.data.Dataset;
import dev.handnet.data.Mnist;
import dev.handnet.io.Checkpoint;
import dev.handnet.io.MetricsFile;
import dev.handnet.nn.ClassificationReport;
import dev.handnet.plot.Plots;
import dev.handnet.run.RunCheckpoints;
import dev.handnet.run.RunFolder;
import dev.handnet.run.RunRecords;
import dev.handnet.run.RunSummaries;
import dev.handnet.run.TrainSettings;
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

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(TrainCommand.class);

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
            description = "Also write the checkpoint here after every epoch (default: models/<preset>.hnet).")
    Path save;

    @Option(names = "--metrics", paramLabel = "FILE", description = "Also write one CSV row per epoch to FILE (the run folder has metrics.csv).")
    Path metrics;

    @Option(names = "--run-dir", paramLabel = "DIR",
            description = "The run folder (default: $HANDNET_RUNS or runs/, then <UTC time>-<preset>-<device>).")
    Path runDir;

    @Option(names = "--resume", paramLabel = "RUN_DIR",
            description = "Continue the run in RUN_DIR from its last checkpoint, exactly (same settings and generator state); --epochs sets a new total.")
    Path resume;

    @Option(names = {"-q", "--quiet"}, description = "No progress bar: the epoch lines alone, as when the output is not a terminal.")
    boolean quiet;

    @Option(names = "--log-format", paramLabel = "FORMAT", defaultValue = "text",
            description = "text (lines for people) or json (one JSON object per line: start, epoch, saved). Default: ${DEFAULT-VALUE}.")
    EpochLines.Format logFormat;

    @Option(names = "--nan-check",
            description = "Check every activation, gradient and parameter after every step and name the first that is not finite (slow; for debugging).")
    boolean nanCheck;

    /** Options a resumed run may change; everything else comes from its config.json. */
    private static final java.util.Set<String> RESUMABLE = java.util.Set.of("--resume", "--epochs", "--device", "--save", "--metrics",
            "--nan-check", "--verbose", "--quiet", "--log-format");

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        EpochLines lines = new EpochLines(out, logFormat);
        TrainSettings settings = resume != null ? resumedSettings() : settings();
        TrainConfig config = settings.config();
        Path savePath = save != null ? save : Path.of("models", settings.preset().name().toLowerCase(Locale.ROOT) + ".hnet");
        // Fail now, not after the first epoch, when an output cannot be written.
        OutputFiles.requireWritable(save != null ? "--save" : "the default --save", savePath);
        if (metrics != null) OutputFiles.requireWritable("--metrics", metrics);
        if (runDir != null) {
            OutputFiles.requireWritable("--run-dir", runDir.resolve("config.json"));
            if (Files.exists(runDir.resolve("config.json"))) {
                throw new IllegalArgumentException("--run-dir " + runDir + " already holds a run; continue it with --resume " + runDir
                        + ", or choose a new folder");
            }
        }

        Path dataDir = Path.of(settings.data());
        long loading = System.nanoTime();
        Mnist.Split split = Mnist.load(dataDir);
        log.debug("loaded {} in {} ms", dataDir, (System.nanoTime() - loading) / 1_000_000);
        Dataset train = settings.limit() != null ? split.train().head(settings.limit()) : split.train();
        Dataset test = settings.limit() != null ? split.test().head(settings.limit()) : split.test();
        Architecture sized = new Architecture(Architecture.sizes(train.features(), settings.hidden(), train.classes()),
                settings.activation(), settings.head(), true);

        try (Backend be = device.open();
             RunFolder run = resume != null ? RunFolder.open(resume, false)
                     : runDir != null ? RunFolder.open(runDir, true)
                     : RunFolder.create(RunFolder.defaultRoot(), settings.preset().name().toLowerCase(Locale.ROOT), be.name().split(" ")[0]);
             MetricsFile csv = MetricsFile.continued(run.metrics());
             MetricsFile extraCsv = metrics != null ? MetricsFile.continued(metrics) : null) {
            RunCheckpoints.Resumed resumed = resume != null ? RunCheckpoints.resume(run) : null;
            java.util.Map<String, String> sums = RunRecords.checksums(dataDir);  // hashed once: config.json and every checkpoint
            if (resumed == null) RunRecords.writeConfig(run, settings, be.name(), dataDir, sums, HandnetCommand.version());
            lines.event("start", String.format(Locale.ROOT, "train %s on %s: %d train, %d test rows%n"
                    + "device %s; lr %s, batch %d, %s, %d epochs, seed %d (%s)%n%s", sized.describe(), dataDir, train.rows(), test.rows(),
                    be.name(), config.learningRate(), config.batchSize(), describe(config), config.epochs(), settings.seed(),
                    settings.rng().name().toLowerCase(Locale.ROOT), resumed != null ? "resuming " + run.dir() + " after epoch "
                    + resumed.from().epoch() + (resumed.from().batch() > 0 ? ", batch " + resumed.from().batch() : "")
                    : "run folder " + run.dir()), EpochLines.fields("architecture", sized.describe(), "device", be.name(), "run",
                    run.dir().toString(), "settings", settings, "first_epoch", (resumed != null ? resumed.from().epoch() : 0) + 1));
            RandomGenerator random = resumed != null ? resumed.rng() : settings.rng().seeded(settings.seed());
            RunCheckpoints checkpoints = new RunCheckpoints(run, savePath, settings, sums);
            long samples = config.batching() == TrainConfig.Batching.RANDOM ? (long) config.batchesPerEpoch() * config.batchSize() : train.rows();
            boolean existed = Files.exists(savePath);
            try (Mlp net = resumed != null ? resumed.checkpoint().toMlp(be)
                         : Mlp.initialize(be, sized, settings.init(), settings.biasInit(), random);
                 DeviceData trainData = DeviceData.upload(be, train);
                 DeviceData testData = DeviceData.upload(be, test);
                 Trainer trainer = new Trainer(net, nanCheck);
                 ProgressLine progress = new ProgressLine(out, quiet || lines.json(), config.batchSize(), config.epochs());
                 Interrupt interrupt = Interrupt.install()) {
                log.debug("data, network and buffers ready on {} {} ms after loading began", be.name(), (System.nanoTime() - loading) / 1_000_000);
                progress.epoch((resumed != null ? resumed.from().epoch() : 0) + 1);
                try {
                    trainer.train(trainData, testData, config, random, resumed != null ? resumed.from() : Trainer.Resume.START,
                            interrupt::requested, progress, report -> {
                        progress.clear();
                        progress.epoch(report.epoch() + 1);
                        lines.epoch(report, config.epochs());
                        checkpoints.epochDone(net, report, random);
                        csv.append(report, samples);
                        if (extraCsv != null) extraCsv.append(report, samples);
                    });
                } catch (Trainer.Stopped stopped) {
                    progress.clear();
                    checkpoints.stopped(net, stopped);
                    RunRecords.writeSummary(run, java.util.Map.of("status", "stopped", "epoch", stopped.epoch, "batch", stopped.batchesDone));
                    spec.commandLine().getErr().println("handnet train: " + stopped.getMessage() + "; saved " + run.last()
                            + "; continue with: handnet train --resume " + run.dir());
                    return 130;
                } catch (DeviceException e) {
                    throw withCheckpoint(e, savePath, checkpoints.lastSaved(), existed);
                }
                // the run's pictures: loss and accuracy curves, the confusion matrix and the worst mistakes of the final network
                Plots.writeAll(run.dir(), run.metrics(), ClassificationReport.of(trainer, settings.head(), testData, test.labels(),
                        test.classes()), test);
            }
            RunRecords.writeSummary(run, RunSummaries.finished(run));
            lines.event("saved", "saved " + savePath + " and " + run.dir(), EpochLines.fields("checkpoint", savePath.toString(),
                    "run", run.dir().toString()));
        }
        return 0;
    }

    /** The settings from the options, else the preset. */
    private TrainSettings settings() {
        return new TrainSettings(preset, hidden != null ? hidden : preset.hidden(), activation != null ? activation : Activation.SIGMOID,
                head != null ? head : preset.head, lr != null ? lr : preset.learningRate, batch != null ? batch : preset.batchSize,
                epochs != null ? epochs : preset.epochs, batching != null ? batching : preset.batching,
                batchesPerEpoch != null ? batchesPerEpoch : preset.batchesPerEpoch, seed != null ? seed : preset.seed,
                rng != null ? rng : preset.rng, init != null ? init : preset.init, biasInit != null ? biasInit : preset.biasInit,
                limit, data.resolve().toString());
    }

    /** The resumed run's settings from its config.json, with a new --epochs total if given; other settings are usage errors. */
    private TrainSettings resumedSettings() {
        for (picocli.CommandLine.Model.OptionSpec o : spec.commandLine().getParseResult().matchedOptions()) {
            if (!RESUMABLE.contains(o.longestName())) {
                throw new picocli.CommandLine.ParameterException(spec.commandLine(), o.longestName()
                        + " cannot change a resumed run (its settings are in " + resume.resolve("config.json") + "); only "
                        + String.join(", ", new java.util.TreeSet<>(RESUMABLE)) + " may be given with --resume");
            }
        }
        if (!Files.isRegularFile(resume.resolve("config.json"))) {
            throw new IllegalArgumentException(resume + ": not a run folder (no config.json)");
        }
        TrainSettings s = RunRecords.readSettings(resume.resolve("config.json"));
        return epochs != null ? s.withEpochs(epochs) : s;
    }

    /** A device failure in training, saying which checkpoint is left: the last one saved, or none. */
    private static DeviceException withCheckpoint(DeviceException e, Path path, int savedEpoch, boolean existed) {
        String left = savedEpoch > 0 ? "the last checkpoint, " + path + " (epoch " + savedEpoch + "), is intact"
                : existed ? "no epoch finished; " + path + " from an earlier run is untouched"
                : "no epoch finished, so no checkpoint was saved";
        return new DeviceException(e.getMessage() + "; " + left, e);
    }



    private static String describe(TrainConfig c) {
        return c.batching() == TrainConfig.Batching.RANDOM
                ? c.batchesPerEpoch() + " random batches per epoch"
                : "shuffled epochs";
    }

}
