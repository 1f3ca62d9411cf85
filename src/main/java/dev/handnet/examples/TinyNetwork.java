package dev.handnet.examples;

import dev.handnet.cli.Values;
import dev.handnet.backend.Backend;
import dev.handnet.backend.Matrix;
import dev.handnet.nn.Activation;
import dev.handnet.nn.Architecture;
import dev.handnet.nn.Head;
import dev.handnet.nn.Mlp;
import dev.handnet.nn.NumpyRandom;
import dev.handnet.nn.WeightInit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * The lab's 2-4-4-1 network: two sigmoid hidden layers of 4, a linear output, no biases,
 * loss 0.5 (y' - y)^2, one update per sample (batch of 1, in data order), weights from
 * np.random.randn after np.random.seed(1). {@code linear} learns the diagonal boundary of
 * {@code generate_linear(n = 100)}; {@code xor} learns {@code generate_XOR_easy()}. Both end
 * with every point on the right side of 0.5.
 */
public final class TinyNetwork {

    static final int[] SIZES = {2, 4, 4, 1};
    static final long SEED = 1;
    static final double LEARNING_RATE = 0.1;
    static final int PRINT_EVERY = 1000;

    private TinyNetwork() {
    }

    /** Points (n, 2) row-major and labels (n) of 0/1. */
    public record Points(double[] x, double[] y) {
        int rows() {
            return y.length;
        }
    }

    /** Mean loss of each epoch (index e - 1), and the final outputs for every point. */
    public record Result(double[] epochLoss, double[] predictions, int correct) {
    }

    /**
     * {@code generate_linear(n)}: n points drawn uniformly in the unit square (x0 then x1 per
     * point, from rng), labelled 0 when x0 > x1, else 1.
     */
    public static Points linear(NumpyRandom rng, int n) {
        double[] x = new double[2 * n], y = new double[n];
        for (int i = 0; i < n; i++) {
            x[2 * i] = rng.uniform(0, 1);
            x[2 * i + 1] = rng.uniform(0, 1);
            y[i] = x[2 * i] > x[2 * i + 1] ? 0 : 1;
        }
        return new Points(x, y);
    }

    /** {@code generate_XOR_easy()}: (0.1i, 0.1i) labelled 0 and (0.1i, 1 - 0.1i) labelled 1 for i = 0..10, the centre once. */
    public static Points xorEasy() {
        List<double[]> pts = new ArrayList<>();
        for (int i = 0; i < 11; i++) {
            pts.add(new double[] {0.1 * i, 0.1 * i, 0});
            if (i == 5) continue;
            pts.add(new double[] {0.1 * i, 1 - 0.1 * i, 1});
        }
        double[] x = new double[2 * pts.size()], y = new double[pts.size()];
        for (int i = 0; i < pts.size(); i++) {
            x[2 * i] = pts.get(i)[0];
            x[2 * i + 1] = pts.get(i)[1];
            y[i] = pts.get(i)[2];
        }
        return new Points(x, y);
    }

    /**
     * Per-sample SGD for the given epochs; weights drawn from rng after the data.
     * data: x (n, 2), y (n, 1) on the device; each step gathers one row, xi (1, 2) and yi (1, 1).
     */
    public static Result train(Backend be, Points data, NumpyRandom rng, int epochs, PrintWriter out) {
        Architecture arch = new Architecture(SIZES, Activation.SIGMOID, Head.LINEAR, false);
        int n = data.rows();
        double[] epochLoss = new double[epochs];
        try (Mlp net = Mlp.initialize(be, arch, WeightInit.NORMAL, 0, rng);
             Matrix x = be.upload(n, 2, data.x);
             Matrix y = be.upload(n, 1, data.y);
             Matrix xi = be.allocate(1, 2);
             Matrix yi = be.allocate(1, 1)) {
            for (int e = 1; e <= epochs; e++) {
                double sum = 0;
                for (int i = 0; i < n; i++) {
                    int[] row = {i};
                    be.gatherRows(x, row, xi);
                    be.gatherRows(y, row, yi);
                    sum += net.forwardBackward(xi, yi);
                    net.sgdStep(LEARNING_RATE);
                }
                epochLoss[e - 1] = sum / n;
                if (e % PRINT_EVERY == 0) out.printf(Locale.ROOT, "epoch %5d  loss %.6f%n", e, epochLoss[e - 1]);
            }
            double[] predictions = be.downloadDoubles(net.forward(x));
            int correct = 0;
            for (int i = 0; i < n; i++) correct += (predictions[i] >= 0.5 ? 1 : 0) == (int) data.y[i] ? 1 : 0;
            return new Result(epochLoss, predictions, correct);
        }
    }

    static void printPredictions(PrintWriter out, Points data, Result r) {
        for (int i = 0; i < data.rows(); i++) {
            out.printf(Locale.ROOT, "  (%.4f, %.4f)  y = %d  y' = %8.5f%n", data.x[2 * i], data.x[2 * i + 1], (int) data.y[i], r.predictions[i]);
        }
        out.printf(Locale.ROOT, "%d of %d points classified correctly at 0.5%n", r.correct, data.rows());
    }

    /** What {@code xor} and {@code linear} share: the data differs, the network and its training do not. */
    abstract static class TinyCommand implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        ExampleOptions options;

        @Option(names = "--epochs", converter = Values.Count.class, paramLabel = "N", description = "Epochs (default: 5000 for xor, 3000 for linear).")
        Integer epochs;

        abstract int defaultEpochs();

        /** The points; drawn from rng first where they are random, the weights after. */
        abstract Points data(NumpyRandom rng);

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            int n = epochs != null ? epochs : defaultEpochs();
            try (Backend be = options.open()) {
                out.println(spec.name() + " on " + be.name() + ": 2-4-4-1, no biases, sigmoid hidden, linear output, lr " + LEARNING_RATE);
                NumpyRandom rng = new NumpyRandom(SEED);
                Points data = data(rng);
                printPredictions(out, data, train(be, data, rng, n, out));
            }
            return 0;
        }
    }

    /** {@code handnet example linear}. */
    @Command(name = "linear", mixinStandardHelpOptions = true,
            description = "2-4-4-1 sigmoid network, per-sample updates, on 100 points split by the diagonal.")
    public static final class Linear extends TinyCommand {
        static final int EPOCHS = 3000;

        @Override
        int defaultEpochs() {
            return EPOCHS;
        }

        @Override
        Points data(NumpyRandom rng) {
            return linear(rng, 100);
        }
    }

    /** {@code handnet example xor}. */
    @Command(name = "xor", mixinStandardHelpOptions = true,
            description = "2-4-4-1 sigmoid network, per-sample updates, on the 21 points of XOR (easy).")
    public static final class Xor extends TinyCommand {
        static final int EPOCHS = 5000;

        @Override
        int defaultEpochs() {
            return EPOCHS;
        }

        @Override
        Points data(NumpyRandom rng) {
            return xorEasy();
        }
    }
}
