package dev.handnet.examples;

import dev.handnet.backend.Backend;
import dev.handnet.backend.Matrix;
import dev.handnet.data.Iris;
import dev.handnet.nn.NumpyRandom;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * Linear regression on Iris by gradient descent, as the tutorial does it: predict the class
 * index 0/1/2 from the 4 measurements with y = X W (no bias), W from
 * {@code np.random.seed(37); np.random.random((4, 1))}, 100 steps of
 * W -= 0.03 * Xᵀ (X W - Y) / m, the training and validation MSE (plain mean of squares) after
 * each step printed every 10 steps, then the test MSE of the rounded predictions.
 *
 * <p>The tutorial writes delta = sum((XW - Y) * X / m) and reshapes it to W's (4, 1): that is
 * Xᵀ (XW - Y) / m, here mseGradient then one GEMM. Published: training loss 42.1148 after
 * iteration 1 and 0.0551 after 91, validation 39.4721 and 0.0225, test MSE 0.0.
 */
@Command(name = "iris-linreg", mixinStandardHelpOptions = true,
        description = "Linear regression on Iris by gradient descent (seed 37, alpha 0.03, 100 iterations).")
public final class IrisLinearRegression implements Callable<Integer> {

    static final double ALPHA = 0.03;
    static final int ITERATIONS = 100;
    static final long SEED = 37;

    @Spec
    CommandSpec spec;

    @Mixin
    ExampleOptions options;

    /** Losses after the iterations printed (1, 11, ..., 91), the final W and the test MSE. */
    public record Result(List<Integer> iterations, List<Double> trainLoss, List<Double> validLoss, double[] w, double testMse) {
    }

    @Override
    public Integer call() {
        try (Backend be = options.open()) {
            run(be, spec.commandLine().getOut());
        }
        return 0;
    }

    public static Result run(Backend be, PrintWriter out) {
        Iris iris = Iris.load();
        IrisSplit split = IrisSplit.tutorial();
        NumpyRandom rng = new NumpyRandom(SEED);
        double[] w0 = new double[Iris.FEATURES];
        for (int i = 0; i < w0.length; i++) w0[i] = rng.nextDouble();

        out.println("iris-linreg on " + be.name() + ": y = X W, W: (4, 1) from np.random.seed(37); np.random.random((4, 1))");
        List<Integer> printed = new ArrayList<>();
        List<Double> trainLoss = new ArrayList<>(), validLoss = new ArrayList<>();
        try (Matrix x = be.upload(split.train().length, Iris.FEATURES, iris.x(split.train()));
             Matrix y = be.upload(split.train().length, 1, IrisSplit.labelColumn(iris, split.train()));
             Matrix xv = be.upload(split.valid().length, Iris.FEATURES, iris.x(split.valid()));
             Matrix yv = be.upload(split.valid().length, 1, IrisSplit.labelColumn(iris, split.valid()));
             Matrix w = be.upload(Iris.FEATURES, 1, w0);
             Matrix pred = be.allocate(split.train().length, 1);
             Matrix predValid = be.allocate(split.valid().length, 1);
             Matrix dPred = be.allocate(split.train().length, 1);
             Matrix delta = be.allocate(Iris.FEATURES, 1)) {
            for (int i = 0; i < ITERATIONS; i++) {
                be.gemm(false, false, 1, x, w, 0, pred);            // (m, 4) x (4, 1) -> (m, 1)
                be.mseGradient(pred, y, dPred);                     // (XW - Y) / m
                be.gemm(true, false, 1, x, dPred, 0, delta);        // Xᵀ (XW - Y) / m: (4, 1)
                be.axpy(-ALPHA, delta, w);
                if (i % 10 == 0) {
                    printed.add(i + 1);
                    trainLoss.add(meanSquaredError(be, x, w, y, pred));
                    validLoss.add(meanSquaredError(be, xv, w, yv, predValid));
                    out.printf(Locale.ROOT, "iteration %3d  training loss %.4f  validation loss %.4f%n",
                            i + 1, trainLoss.get(trainLoss.size() - 1), validLoss.get(validLoss.size() - 1));
                }
            }
            double[] wFinal = be.downloadDoubles(w);
            double testMse = roundedTestMse(be, iris, split.test(), w);
            out.printf(Locale.ROOT, "W = [%.4f, %.4f, %.4f, %.4f]%n", wFinal[0], wFinal[1], wFinal[2], wFinal[3]);
            out.printf(Locale.ROOT, "test MSE of the rounded predictions: %.1f%n", testMse);
            out.println("published: training loss 42.1148 (iteration 1), 0.0551 (91); validation 39.4721, 0.0225; test 0.0");
            return new Result(printed, trainLoss, validLoss, wFinal, testMse);
        }
    }

    /** mean (X W - Y)^2 over the rows: the tutorial's mse, twice the backend's 1/(2m) convention. */
    private static double meanSquaredError(Backend be, Matrix x, Matrix w, Matrix y, Matrix pred) {
        be.gemm(false, false, 1, x, w, 0, pred);
        return 2 * be.mseLoss(pred, y);
    }

    /** mean (round(x W) - y)^2 over the test rows: x W on the backend, rounded half to even as numpy's round.  w: (4, 1). */
    private static double roundedTestMse(Backend be, Iris iris, int[] rows, Matrix w) {
        try (Matrix x = be.upload(rows.length, Iris.FEATURES, iris.x(rows));
             Matrix pred = be.allocate(rows.length, 1)) {
            be.gemm(false, false, 1, x, w, 0, pred);
            double[] p = be.downloadDoubles(pred);
            int[] labels = iris.labels(rows);
            double sum = 0;
            for (int r = 0; r < rows.length; r++) {
                double e = Math.rint(p[r]) - labels[r];
                sum += e * e;
            }
            return sum / rows.length;
        }
    }
}
