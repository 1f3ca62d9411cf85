package dev.handnet.cli;

import dev.handnet.backend.Backends;
import dev.handnet.backend.DeviceException;
import dev.handnet.backend.opencl.DeviceInfo;
import dev.handnet.backend.opencl.OpenClDevices;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code handnet devices}: the CPU backend and every OpenCL device, with the one auto picks marked. */
@Command(name = "devices", mixinStandardHelpOptions = true,
        description = "List the CPU backend and the OpenCL platforms and devices; '*' marks what --device auto picks.")
final class DevicesCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

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
        String auto = Backends.autoChoice(devices);
        out.printf(Locale.ROOT, "%s cpu           Java CPU backend, %d threads%n", mark(auto, "cpu"),
                Runtime.getRuntime().availableProcessors());
        for (DeviceInfo d : devices) {
            out.printf(Locale.ROOT, "%s %-13s %s | %s%n", mark(auto, d.spec()), d.spec(), d.name(), d.platformName());
            out.printf(Locale.ROOT, "                %s, %s, %d compute units, global %s, local %s, max work-group %d, %s, %s%n",
                    d.type(), d.vendor(), d.computeUnits(), bytes(d.globalMemory()), bytes(d.localMemory()),
                    d.maxWorkGroupSize(), d.version(), d.float64() ? "float64" : "no float64");
        }
        if (devices.isEmpty()) {
            out.println("  no OpenCL devices: " + (problem != null ? problem
                    : "no OpenCL platform found; " + OpenClDevices.HOW_TO_INSTALL));
        }
        out.println("* = what --device auto picks (an OpenCL GPU if there is one, else the CPU backend)");
        return 0;
    }

    private static String mark(String auto, String spec) {
        return auto.equals(spec) ? "*" : " ";
    }

    private static String bytes(long b) {
        return b >= 1L << 30 ? String.format(Locale.ROOT, "%.1f GiB", b / (double) (1L << 30))
                : String.format(Locale.ROOT, "%d KiB", b >> 10);
    }
}
