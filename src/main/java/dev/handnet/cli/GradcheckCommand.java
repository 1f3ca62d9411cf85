package dev.handnet.cli;

import dev.handnet.backend.Backend;
import dev.handnet.nn.Activation;
import dev.handnet.nn.GradientCheck;
import dev.handnet.nn.Head;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code handnet gradcheck}: backprop against central differences in float64 for every head
 * and hidden activation, and the chosen device's gradients against the float64 ones.
 */
@Command(name = "gradcheck", mixinStandardHelpOptions = true,
        description = "Check analytic gradients against float64 finite differences, and the device against float64.")
final class GradcheckCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    DeviceOption device;

    @Option(names = "--sizes", converter = Values.Count.class, split = ",", defaultValue = "7,5,4,3", paramLabel = "N",
            description = "Layer sizes of the test network (default: ${DEFAULT-VALUE}).")
    int[] sizes;

    @Option(names = "--batch", converter = Values.Count.class, defaultValue = "6", description = "Rows in the test batch (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--seed", defaultValue = "1", description = "Seed for the network and batch (default: ${DEFAULT-VALUE}).")
    long seed;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        boolean ok = true;
        try (Backend be = device.open()) {
            out.printf(Locale.ROOT, "analytic vs central differences (h = 1e-5) in float64; %s vs float64%n", be.name());
            out.printf(Locale.ROOT, "pass: finite-difference error <= %.0e, device error <= %.0e%n%n",
                    GradientCheck.EXACT_TOLERANCE, GradientCheck.FLOAT32_TOLERANCE);
            for (Head head : Head.values()) {
                for (Activation hidden : Activation.values()) {
                    ok &= report(out, be, head, hidden);
                }
            }
        }
        out.println(ok ? "gradcheck passed" : "gradcheck FAILED");
        return ok ? 0 : 1;
    }

    private boolean report(PrintWriter out, Backend be, Head head, Activation hidden) {
        List<GradientCheck.Row> rows = GradientCheck.run(be, sizes, hidden, head, batch, seed);
        boolean exact = head != Head.TUTORIAL;
        double fd = rows.stream().mapToDouble(GradientCheck.Row::finiteDifferenceError).max().orElse(0);
        double dev = rows.stream().mapToDouble(GradientCheck.Row::backendError).max().orElse(0);
        boolean pass = (!exact || fd <= GradientCheck.EXACT_TOLERANCE) && dev <= GradientCheck.FLOAT32_TOLERANCE;
        out.printf(Locale.ROOT, "head %s, hidden %s%n", head.name().toLowerCase(Locale.ROOT), hidden.name().toLowerCase(Locale.ROOT));
        for (GradientCheck.Row r : rows) {
            out.printf(Locale.ROOT, "  %-4s finite-difference error %.2e   device error %.2e%n",
                    r.parameter(), r.finiteDifferenceError(), r.backendError());
        }
        String verdict = exact
                ? (pass ? "PASS" : "FAIL")
                : (dev <= GradientCheck.FLOAT32_TOLERANCE ? "device PASS; " : "device FAIL; ")
                + String.format(Locale.ROOT, "the tutorial's update is %.2f away from the exact gradient"
                        + " (by design: it skips the row normalisation's Jacobian)", fd);
        out.printf(Locale.ROOT, "  -> %s%n%n", verdict);
        return pass;
    }
}
