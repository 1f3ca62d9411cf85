package dev.handnet.cli;

import dev.handnet.io.OutputFiles;
import dev.handnet.plot.Curves;
import dev.handnet.plot.MetricsCsv;
import dev.handnet.plot.Plots;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code handnet plot RUN_OR_CSV...}: loss and accuracy curves of one or more training runs, as a PNG. */
@Command(name = "plot", mixinStandardHelpOptions = true,
        description = "Plot loss and accuracy per epoch, train and test, of one or more training runs into a PNG;"
                + " two or more runs are overlaid.")
final class PlotCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "RUN_OR_CSV",
            description = "A run folder holding metrics.csv, or a metrics CSV file ('handnet train --metrics').")
    List<Path> runs;

    @Option(names = "--out", paramLabel = "FILE.png",
            description = "The PNG to write (default: RUN/curves.png for one run folder, else curves.png here).")
    Path out;

    @Override
    public Integer call() {
        List<Path> csvs = runs.stream().map(Plots::metricsOf).toList();
        Path file = out != null ? out
                : runs.size() == 1 && Files.isDirectory(runs.get(0)) ? runs.get(0).resolve(Plots.CURVES) : Path.of(Plots.CURVES);
        OutputFiles.requireWritable("--out", file);
        List<MetricsCsv> metrics = csvs.stream().map(csv -> MetricsCsv.read(csv, Plots.runName(csv))).toList();
        Curves.write(metrics, file);
        spec.commandLine().getOut().println("wrote " + file);
        return 0;
    }
}
