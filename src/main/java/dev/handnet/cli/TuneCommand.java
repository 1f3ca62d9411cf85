package dev.handnet.cli;

import dev.handnet.backend.Precision;
import dev.handnet.backend.opencl.DeviceInfo;
import dev.handnet.backend.opencl.GemmConfig;
import dev.handnet.backend.opencl.GemmTuner;
import dev.handnet.backend.opencl.KernelSources;
import dev.handnet.backend.opencl.OpenClDevices;
import dev.handnet.backend.opencl.TuningCache;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code handnet tune}: searches the GEMM kernel's parameters on one OpenCL device and caches the fastest per shape class. */
@Command(name = "tune", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Try a grid of GEMM kernel parameters on an OpenCL device, check each against a float64 reference,"
                + " time the products training runs, and cache the fastest per shape class for training and bench.")
final class TuneCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--device", paramLabel = "SPEC", defaultValue = "opencl",
            description = "opencl (the best device) or opencl:<platform>:<device> (default: ${DEFAULT-VALUE}).")
    String device;

    @Option(names = "--budget", converter = Values.Positive.class, paramLabel = "SECONDS", defaultValue = "600",
            description = "Stop trying candidates after this long; the best so far are kept (default: ${DEFAULT-VALUE}).")
    double budget;

    @Option(names = "--quick", description = "A small grid and fewer timed runs: a minute or less on a CPU device.")
    boolean quick;

    @Option(names = "--precision", paramLabel = "P", defaultValue = "float32",
            description = "float32 or float64: the precision to tune for (default: ${DEFAULT-VALUE}).")
    Precision precision;

    @Option(names = "--reps", converter = Values.Count.class, paramLabel = "N", description = "Timed runs per product, the best kept (default: 5, or 3 with --quick).")
    Integer reps;

    @Option(names = "--cache", paramLabel = "FILE", description = "The tuning cache to update (default: $XDG_CACHE_HOME/handnet/gemm-tuning.json, else ~/.cache/handnet/...).")
    Path cache;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        if (!OpenClDevices.isSpec(device)) {
            throw new ParameterException(spec.commandLine(), "--device must be opencl or opencl:<platform>:<device>, got " + device);
        }
        DeviceInfo d = OpenClDevices.select(OpenClDevices.list(), device);
        Path file = cache != null ? cache : TuningCache.defaultFile();
        List<GemmConfig> candidates = GemmTuner.candidates(d, precision, quick);
        out.printf(Locale.ROOT, "tuning GEMM on %s %s, driver %s, %s: %d candidates, budget %.0f s%n", d.spec(), d.describe(),
                d.driver(), precision.name().toLowerCase(Locale.ROOT), candidates.size(), budget);
        List<TuningCache.Entry> winners;
        try (GemmTuner tuner = new GemmTuner(d, precision, KernelSources.classpath(), out, reps != null ? reps : quick ? 3 : 5)) {
            winners = tuner.tune(candidates, budget);
        }
        if (winners.isEmpty()) {
            spec.commandLine().getErr().println("handnet tune: error: no candidate built, ran and agreed with the reference; nothing cached");
            return 1;
        }
        TuningCache.load(file).with(winners).save();
        out.println("\nfastest per shape class:");
        for (TuningCache.Entry e : winners) out.printf(Locale.ROOT, "  %-9s %7.1f GFLOP/s  %s%n", e.shapeClass(), e.gflops(), e.config());
        out.println("wrote " + file);
        return 0;
    }
}
