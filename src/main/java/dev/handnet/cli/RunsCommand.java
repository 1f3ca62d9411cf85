package dev.handnet.cli;

import dev.handnet.run.RunFolder;
import dev.handnet.run.RunSummaries;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code handnet runs [FOLDER]}: the training runs in a folder, with their best test accuracy. */
@Command(name = "runs", mixinStandardHelpOptions = true,
        description = "List training runs (default folder: $HANDNET_RUNS, else runs/): status, epochs, best and last test accuracy, device.")
final class RunsCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", paramLabel = "FOLDER", description = "The folder holding run folders.")
    Path folder;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        Path root = folder != null ? folder : RunFolder.defaultRoot();
        List<RunSummaries.Row> rows = RunSummaries.list(root);
        if (rows.isEmpty()) {
            out.println("no runs in " + root + " (handnet train writes one per run)");
            return 0;
        }
        int width = Math.max(3, rows.stream().mapToInt(r -> r.name().length()).max().orElse(0));
        out.printf(Locale.ROOT, "%-" + width + "s  %-11s %6s  %-16s %9s  %s%n", "run", "status", "epochs", "best test (epoch)", "last test", "device");
        for (RunSummaries.Row r : rows) {
            out.printf(Locale.ROOT, "%-" + width + "s  %-11s %6d  %8s (%5s)  %9s  %s%n", r.name(), r.status(), r.epochs(),
                    percent(r.bestTestAccuracy()), r.epochs() == 0 ? "-" : Integer.toString(r.bestEpoch()),
                    percent(r.lastTestAccuracy()), r.device());
        }
        return 0;
    }

    private static String percent(double v) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.2f%%", 100 * v);
    }
}
