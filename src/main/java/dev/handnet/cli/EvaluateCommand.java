package dev.handnet.cli;

import dev.handnet.backend.Backend;
import dev.handnet.data.Dataset;
import dev.handnet.data.Mnist;
import dev.handnet.io.Checkpoint;
import dev.handnet.io.OutputFiles;
import dev.handnet.nn.ClassificationReport;
import dev.handnet.nn.DeviceData;
import dev.handnet.nn.Evaluation;
import dev.handnet.nn.Mlp;
import dev.handnet.nn.Trainer;
import dev.handnet.plot.Plots;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code handnet evaluate MODEL}: test-set accuracy, loss and confusion matrix of a checkpoint. */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
        description = "Evaluate a saved model on the test set: accuracy, loss, per-class precision, recall and F1, confusion matrix, worst mistakes; --plots draws them.")
final class EvaluateCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "MODEL", description = "A checkpoint written by 'handnet train'.")
    Path model;

    @Mixin
    DeviceOption device;

    @Mixin
    DataOption data;

    @Option(names = "--worst", paramLabel = "N", defaultValue = "10", converter = Values.Count.class,
            description = "Most confident mistakes to list (default: ${DEFAULT-VALUE}).")
    int worst;

    @Option(names = "--plots", paramLabel = "DIR",
            description = "Also draw the confusion matrix and the most confident mistakes into DIR/confusion.png and DIR/mistakes.png.")
    Path plots;

    @Override
    public Integer call() {
        Checkpoint checkpoint = Checkpoint.load(model);
        Dataset test = Mnist.loadTest(data.resolve());
        if (test.features() != checkpoint.architecture().inputs() || test.classes() != checkpoint.architecture().outputs()) {
            throw new IllegalArgumentException(model + " maps " + checkpoint.architecture().inputs() + " inputs to "
                    + checkpoint.architecture().outputs() + " classes, but " + data.resolve() + " has "
                    + test.features() + " features and " + test.classes() + " classes");
        }
        if (plots != null && Files.exists(plots) && !Files.isDirectory(plots)) {
            throw new IllegalArgumentException("--plots " + plots + ": is a file, expected a folder");
        }
        if (plots != null) OutputFiles.requireWritable("--plots", plots.resolve(Plots.CONFUSION));
        PrintWriter out = spec.commandLine().getOut();
        try (Backend be = device.open();
             Mlp net = checkpoint.toMlp(be);
             DeviceData d = DeviceData.upload(be, test);
             Trainer evaluator = new Trainer(net)) {
            Evaluation e = evaluator.evaluate(d);
            ClassificationReport report = ClassificationReport.of(evaluator, checkpoint.architecture().head(), d, test.labels(),
                    test.classes());
            out.printf(Locale.ROOT, "%s (%s) on %s, device %s%n", model, checkpoint.architecture().describe(),
                    test.name(), be.name());
            out.printf(Locale.ROOT, "accuracy %.2f%% (%d of %d)  loss %.6f%n%n", 100 * e.accuracy(), e.correct(),
                    e.rows(), e.loss());
            out.print(report.format(worst));
            if (plots != null) {
                for (Path file : Plots.writeReport(plots, report, test)) out.println("wrote " + file);
            }
            out.flush();
        }
        return 0;
    }

}
