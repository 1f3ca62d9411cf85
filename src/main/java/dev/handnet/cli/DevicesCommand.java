package dev.handnet.cli;

import dev.handnet.backend.BackendProvider;
import dev.handnet.backend.Backends;
import dev.handnet.backend.DeviceException;
import dev.handnet.backend.opencl.DeviceInfo;
import dev.handnet.backend.Precision;
import dev.handnet.backend.opencl.OpenClDevices;
import dev.handnet.backend.opencl.TuningCache;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code handnet devices}: the CPU backend, every OpenCL device and every backend a
 * {@link BackendProvider} on the classpath adds, with the one auto picks marked.
 */
@Command(name = "devices", mixinStandardHelpOptions = true,
        description = "List the CPU backend, the OpenCL platforms and devices, and backends added through the classpath; '*' marks what --device auto picks.")
final class DevicesCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--cache", paramLabel = "FILE", description = "The GEMM tuning cache to read (default: $XDG_CACHE_HOME/handnet/gemm-tuning.json, else ~/.cache/handnet/...).")
    Path cache;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        List<DeviceInfo> devices;
        String problem = null;
        try {
            devices = OpenClDevices.list();
        } catch (DeviceException e) {
            devices = List.of();
            problem = e.getMessage();
        }
        TuningCache tuning = TuningCache.load(cache != null ? cache : TuningCache.defaultFile());
        String auto = Backends.autoChoice(devices);
        out.printf(Locale.ROOT, "%s cpu           Java CPU backend, %d threads%n", mark(auto, "cpu"),
                Runtime.getRuntime().availableProcessors());
        for (DeviceInfo d : devices) {
            out.printf(Locale.ROOT, "%s %-13s %s | %s%n", mark(auto, d.spec()), d.spec(), d.name(), d.platformName());
            out.printf(Locale.ROOT, "                %s, %s, %d compute units, global %s, local %s, max work-group %d, %s, %s%n",
                    d.type(), d.vendor(), d.computeUnits(), bytes(d.globalMemory()), bytes(d.localMemory()),
                    d.maxWorkGroupSize(), d.version(), d.float64() ? "float64" : "no float64");
            out.printf(Locale.ROOT, "                driver %s, GEMM %s%n", d.driver(), tuned(tuning, d));
        }
        for (BackendProvider p : Backends.providers()) {
            out.printf(Locale.ROOT, "  %-13s %s (--device %s)%n", p.prefix(), p.describe(), p.prefix());
        }
        if (devices.isEmpty()) {
            out.println("  no OpenCL devices: " + (problem != null ? problem
                    : "no OpenCL platform found; " + OpenClDevices.HOW_TO_INSTALL));
        }
        out.println("* = what --device auto picks (an OpenCL GPU if there is one, else the CPU backend)");
        out.println("GEMM tuning cache: " + tuning.file());
        return 0;
    }

    /** "tuned for float32 (6 shape classes)", or how to tune it. */
    private static String tuned(TuningCache tuning, DeviceInfo d) {
        List<String> tuned = new ArrayList<>();
        for (Precision p : Precision.values()) {
            int classes = tuning.tunedClasses(d, p).size();
            if (classes > 0) tuned.add(p.name().toLowerCase(Locale.ROOT) + " (" + classes + " shape classes)");
        }
        return tuned.isEmpty() ? "not tuned (default parameters; 'handnet tune --device " + d.spec() + "' tunes it)"
                : "tuned for " + String.join(" and ", tuned);
    }

    private static String mark(String auto, String spec) {
        return auto.equals(spec) ? "*" : " ";
    }

    private static String bytes(long b) {
        return b >= 1L << 30 ? String.format(Locale.ROOT, "%.1f GiB", b / (double) (1L << 30))
                : String.format(Locale.ROOT, "%d KiB", b >> 10);
    }
}
