package dev.handnet.cli;

import dev.handnet.backend.Backend;
import dev.handnet.backend.Backends;
import dev.handnet.backend.ParityCheck;
import dev.handnet.backend.Precision;
import dev.handnet.data.Dataset;
import dev.handnet.nn.Activation;
import dev.handnet.nn.Architecture;
import dev.handnet.nn.Head;
import dev.handnet.nn.TrainConfig;
import dev.handnet.nn.TrainingParity;
import dev.handnet.nn.WeightInit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code handnet parity}: every op, then a seeded training run, on two devices, compared. */
@Command(name = "parity", mixinStandardHelpOptions = true,
        description = "Run every op and a short seeded MNIST training run on two devices and compare them.")
final class ParityCommand implements Callable<Integer> {

    /**
     * Allowed difference of the two runs' batch losses and weights: float32 rounding (~1e-7
     * per op) that SGD carries from step to step; seen 4e-7 and 1e-6 after 300 steps, CPU vs
     * PoCL. 1e-4 leaves room for a hundredfold growth over longer runs or other devices, and is
     * still far below any difference a wrong op would make (1e-2 and up after one step).
     */
    public static final double TRAINING_TOLERANCE = 1e-4;

    /** As TRAINING_TOLERANCE in float64: double rounding (~1e-16 per op); seen 9e-16 and 1.2e-15 after 300 steps. */
    public static final double FLOAT64_TRAINING_TOLERANCE = 1e-9;

    @Spec
    CommandSpec spec;

    @Option(names = "--devices", split = ",", defaultValue = "cpu,opencl", paramLabel = "A,B",
            description = "The two devices to compare (default: ${DEFAULT-VALUE}).")
    List<String> devices;

    @Option(names = "--steps", converter = Values.Count.class, defaultValue = "300", description = "Training steps to compare (default: ${DEFAULT-VALUE}).")
    int steps;

    @Option(names = "--precision", defaultValue = "float32", paramLabel = "P",
            description = "float32 or float64: the precision both devices compute in (default: ${DEFAULT-VALUE}).")
    Precision precision;

    @Option(names = "--seed", defaultValue = "7", description = "Seed for inputs, weights and batches (default: ${DEFAULT-VALUE}).")
    long seed;

    @Mixin
    DataOption data;

    @Override
    public Integer call() {
        if (devices.size() != 2) throw new IllegalArgumentException("--devices takes two devices, got " + devices);
        PrintWriter out = spec.commandLine().getOut();
        try (Backend a = Backends.open(devices.get(0), precision); Backend b = Backends.open(devices.get(1), precision)) {
            out.printf(Locale.ROOT, "A: %s%nB: %s%n%n", a.name(), b.name());
            out.printf(Locale.ROOT, "%-22s %-24s %12s %12s %14s  %s%n", "op", "shapes", "max |A-B|", "max rel A-B",
                    "max rel to f64", "");
            boolean ok = true;
            for (ParityCheck.Row r : ParityCheck.run(a, b, seed)) {
                out.printf(Locale.ROOT, "%-22s %-24s %12.2e %12.2e %14.2e  %s%n", r.op(), r.shape(), r.maxAbs(),
                        r.maxRel(), r.maxRelToFloat64(), r.pass() ? "ok" : "FAIL");
                ok &= r.pass();
            }
            out.printf(Locale.ROOT, "(pass: relative differences <= %.0e, relative to max(1, |float64 result|))%n%n",
                    ParityCheck.tolerance(a, b));
            Dataset train = data.load().train().head(5000);
            Architecture arch = new Architecture(new int[] {784, 100, 10}, Activation.SIGMOID, Head.CE, true);
            TrainConfig config = new TrainConfig(1.0, 32, 1, TrainConfig.Batching.SHUFFLE, 0);
            TrainingParity.Result r = TrainingParity.run(a, b, train, arch, WeightInit.GLOROT, config, steps, seed);
            double tolerance = precision == Precision.FLOAT64 ? FLOAT64_TRAINING_TOLERANCE : TRAINING_TOLERANCE;
            boolean trainingOk = r.maxLossDifference() <= tolerance && r.maxWeightDifference() <= tolerance;
            out.printf(Locale.ROOT, "training 784-100-10, ce, batch 32, lr 1.0: %s  %s%n", TrainingParity.describe(r),
                    trainingOk ? "ok" : "FAIL");
            ok &= trainingOk;
            out.println(ok ? "parity passed" : "parity FAILED");
            return ok ? 0 : 1;
        }
    }
}
