package dev.handnet.cli;

import dev.handnet.backend.Backend;
import dev.handnet.backend.Backends;
import dev.handnet.bench.BenchPlan;
import dev.handnet.bench.BenchReport;
import dev.handnet.bench.BenchReport.DeviceResults;
import dev.handnet.bench.BenchReport.Machine;
import dev.handnet.bench.BenchTable;
import dev.handnet.bench.MachinePeak;
import dev.handnet.bench.ResultsFile;
import dev.handnet.bench.SpeedPlot;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code handnet bench}: GEMM GFLOP/s, op GB/s and seconds per MNIST epoch on each device, against the CPU's peak. */
@Command(name = "bench", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Measure GEMM GFLOP/s, every op's GB/s and seconds per MNIST training epoch on each device;"
                + " print a table, keep the figures as JSON, and plot GEMM speed against matrix size.")
final class BenchCommand implements Callable<Integer> {

    /** Where results go without --json: results/ is gitignored, and every run is kept. */
    static final Path RESULTS_DIR = Path.of("results");

    @Spec
    CommandSpec spec;

    @Option(names = "--device", split = ",", paramLabel = "SPEC",
            description = "cpu, opencl, opencl:<platform>:<device> or auto; repeat or separate with commas"
                    + " (default: cpu, and opencl when an OpenCL device opens).")
    List<String> devices;

    @Option(names = "--quick", description = "CI's run: fewer sizes and repetitions, 5000 MNIST rows, one timed epoch; rougher figures.")
    boolean quick;

    @Option(names = "--reps", converter = Values.Count.class, paramLabel = "N", description = "Timed repetitions per measurement, the best kept (default: 10, or 3 with --quick).")
    Integer reps;

    @Option(names = "--json", paramLabel = "FILE", description = "Write the results here (default: results/bench-<UTC time>.json).")
    Path json;

    @Option(names = "--plot", paramLabel = "FILE.png", description = "Draw GEMM GFLOP/s against square matrix size into a PNG.")
    Path plot;

    @Option(names = "--peer", paramLabel = "JSON", description = "Another tool's results in the same JSON schema (the numpy or PyTorch peer scripts) to plot beside handnet's; repeatable.")
    List<Path> peers = new ArrayList<>();

    @Option(names = "--from", paramLabel = "JSON", description = "Print and plot saved handnet results instead of measuring.")
    Path from;

    @Option(names = "--clock-ghz", converter = Values.Positive.class, paramLabel = "GHZ", description = "The CPU clock for the peak, instead of measuring it.")
    Double clockGhz;

    @Option(names = "--fma-units", converter = Values.Positive.class, paramLabel = "N", description = "Vector FMAs per cycle per core for the peak, instead of measuring them.")
    Double fmaUnits;

    @Mixin
    DataOption data;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        validate();
        List<BenchReport> peerReports = peers.stream().map(p -> ResultsFile.read(p, "--peer")).toList();
        BenchReport report;
        if (from != null) {
            report = ResultsFile.readHandnet(from, "--from");
            BenchTable.printMachine(out, report.machine(), report.date());
            report.byDevice().forEach(r -> BenchTable.printDevice(out, r));
        } else {
            report = measure(out);
            Path file = json != null ? json : RESULTS_DIR.resolve("bench-" + report.date().replace(":", "").replace("-", "") + ".json");
            ResultsFile.write(report, file);
            out.println("\nwrote " + file);
        }
        if (plot != null) {
            SpeedPlot.write(report, peerReports, plot);
            out.println("wrote " + plot);
        }
        return 0;
    }

    /** --from without the measuring options. */
    private void validate() {
        if (from != null && (devices != null || quick || reps != null || json != null || clockGhz != null || fmaUnits != null)) {
            throw new ParameterException(spec.commandLine(), "--from prints saved results; --device, --quick, --reps, --json,"
                    + " --clock-ghz and --fma-units are for measuring");
        }
    }

    /** The peak, then each device in turn, its tables printed as soon as it is done. */
    private BenchReport measure(PrintWriter out) {
        List<Backend> backends = open(out);
        try {
            Machine machine = Machine.of(MachinePeak.measure(clockGhz, fmaUnits));
            String date = BenchReport.now();
            BenchTable.printMachine(out, machine, date);
            BenchPlan plan = BenchPlan.of(quick, reps, data.load().train());
            List<DeviceResults> results = new ArrayList<>();
            for (Backend be : backends) {
                DeviceResults r = plan.measure(be, machine.peakGflops());
                BenchTable.printDevice(out, r);
                results.add(r);
            }
            return BenchReport.of(date, machine, Map.of("handnet", version()), results);
        } finally {
            backends.forEach(Backend::close);
        }
    }

    /**
     * Every --device, opened before anything is measured so a wrong one fails at once; without
     * --device, the CPU and, when one opens, the best OpenCL device (else a note why not).
     */
    private List<Backend> open(PrintWriter out) {
        List<Backend> backends = new ArrayList<>();
        try {
            for (String device : devices != null ? devices : List.of("cpu")) backends.add(Backends.open(device));
            if (devices == null) {
                try {
                    backends.add(Backends.open("opencl"));
                } catch (RuntimeException e) {
                    out.println("opencl: not measured (" + e.getMessage() + ")");
                }
            }
        } catch (RuntimeException e) {
            backends.forEach(Backend::close);
            throw e;
        }
        return backends;
    }

    private static String version() {
        return new HandnetCommand.Version().getVersion()[0];
    }
}
