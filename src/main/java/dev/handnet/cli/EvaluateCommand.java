package dev.handnet.cli;

import dev.handnet.backend.Backend;
import dev.handnet.data.Dataset;
import dev.handnet.data.Mnist;
import dev.handnet.io.Checkpoint;
import dev.handnet.nn.DeviceData;
import dev.handnet.nn.Evaluation;
import dev.handnet.nn.Mlp;
import dev.handnet.nn.Trainer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code handnet evaluate MODEL}: test-set accuracy, loss and confusion matrix of a checkpoint. */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
        description = "Evaluate a saved model on the test set: accuracy, loss, confusion matrix.")
final class EvaluateCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "MODEL", description = "A checkpoint written by 'handnet train'.")
    Path model;

    @Mixin
    DeviceOption device;

    @Mixin
    DataOption data;

    @Override
    public Integer call() {
        Checkpoint checkpoint = Checkpoint.load(model);
        Dataset test = Mnist.loadTest(data.resolve());
        if (test.features() != checkpoint.architecture().inputs() || test.classes() != checkpoint.architecture().outputs()) {
            throw new IllegalArgumentException(model + " maps " + checkpoint.architecture().inputs() + " inputs to "
                    + checkpoint.architecture().outputs() + " classes, but " + data.resolve() + " has "
                    + test.features() + " features and " + test.classes() + " classes");
        }
        PrintWriter out = spec.commandLine().getOut();
        try (Backend be = device.open();
             Mlp net = checkpoint.toMlp(be);
             DeviceData d = DeviceData.upload(be, test);
             Trainer evaluator = new Trainer(net)) {
            Evaluation e = evaluator.evaluate(d);
            int[] predicted = evaluator.predict(d);
            out.printf(Locale.ROOT, "%s (%s) on %s, device %s%n", model, checkpoint.architecture().describe(),
                    test.name(), be.name());
            out.printf(Locale.ROOT, "accuracy %.2f%% (%d of %d)  loss %.6f%n%n", 100 * e.accuracy(), e.correct(),
                    e.rows(), e.loss());
            printConfusion(out, test.labels(), predicted, test.classes());
        }
        return 0;
    }

    /** Rows: true label; columns: predicted; last column: recall of the row's class. */
    static void printConfusion(PrintWriter out, int[] labels, int[] predicted, int classes) {
        int[][] counts = new int[classes][classes];
        for (int i = 0; i < labels.length; i++) counts[labels[i]][predicted[i]]++;
        StringBuilder header = new StringBuilder("true\\pred");
        for (int c = 0; c < classes; c++) header.append(String.format(Locale.ROOT, "%6d", c));
        out.println(header.append("   recall"));
        for (int r = 0; r < classes; r++) {
            StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "%9d", r));
            int total = 0;
            for (int c = 0; c < classes; c++) {
                row.append(String.format(Locale.ROOT, "%6d", counts[r][c]));
                total += counts[r][c];
            }
            double recall = total == 0 ? 0 : 100.0 * counts[r][r] / total;
            out.println(row.append(String.format(Locale.ROOT, "  %6.2f%%", recall)));
        }
    }
}
