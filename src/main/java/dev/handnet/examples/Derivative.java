package dev.handnet.examples;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.DoubleUnaryOperator;

/**
 * Numeric derivatives, the first step of the tutorials: what backprop computes exactly, a
 * finite difference approximates. Host arithmetic in float64; no network, no backend.
 */
@Command(name = "derivative", mixinStandardHelpOptions = true,
        description = "Numeric derivatives: forward differences of f(x) = 0.05x^2 + 0.8x, partials of 2x^2 + 3xy + 5y^2, an MSE.")
public final class Derivative implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    /** f(x) = 0.05 x^2 + 0.8 x;  f'(x) = 0.1 x + 0.8. */
    static double f(double x) {
        return 0.05 * x * x + 0.8 * x;
    }

    /** g(x, y) = 2x^2 + 3xy + 5y^2;  dg/dx = 4x + 3y, dg/dy = 3x + 10y: 17 and 36 at (2, 3). */
    static double g(double x, double y) {
        return 2 * x * x + 3 * x * y + 5 * y * y;
    }

    /** (f(x + h) - f(x)) / h: error ~ f''(x) h / 2 from truncation, ~eps |f(x)| / h from rounding. */
    static double forwardDifference(DoubleUnaryOperator f, double x, double h) {
        return (f.applyAsDouble(x + h) - f.applyAsDouble(x)) / h;
    }

    /** The tutorial's small h: forward differences then read 17.000002 and 36.000005 (error 2h and 5h). */
    static final double PARTIAL_STEP = 1e-6;

    /** [dg/dx, dg/dy] at (x, y) by forward differences with PARTIAL_STEP. */
    static double[] gradient(double x, double y) {
        return new double[] {
                forwardDifference(a -> g(a, y), x, PARTIAL_STEP),
                forwardDifference(b -> g(x, b), y, PARTIAL_STEP)};
    }

    /** Mean of (y - t)^2 over every entry. */
    static double meanSquaredError(double[] y, double[] t) {
        double sum = 0;
        for (int i = 0; i < y.length; i++) sum += (y[i] - t[i]) * (y[i] - t[i]);
        return sum / y.length;
    }

    @Override
    public Integer call() {
        print(spec.commandLine().getOut());
        return 0;
    }

    static void print(PrintWriter out) {
        double x = 5;
        out.printf(Locale.ROOT, "f(x) = 0.05x^2 + 0.8x at x = %.0f: exact f'(x) = 0.1x + 0.8 = %.6f%n", x, 0.1 * x + 0.8);
        out.println("       h   forward difference        error");
        for (int k = 1; k <= 10; k++) {
            double h = Double.parseDouble("1e-" + k);
            double d = forwardDifference(Derivative::f, x, h);
            out.printf(Locale.ROOT, "%8.0e   %.12f   %10.3e%n", h, d, d - (0.1 * x + 0.8));
        }
        out.println("the error shrinks with h (truncation, 0.05h) until rounding, ~1e-16 |f(x)| / h, takes over");
        out.println();
        double[] grad = gradient(2, 3);
        out.printf(Locale.ROOT, "g(x, y) = 2x^2 + 3xy + 5y^2 at (2, 3), forward differences with h = %.0e:%n", PARTIAL_STEP);
        out.printf(Locale.ROOT, "  dg/dx = %.6f   (exact 4x + 3y = 17)%n", grad[0]);
        out.printf(Locale.ROOT, "  dg/dy = %.6f   (exact 3x + 10y = 36)%n", grad[1]);
        out.printf(Locale.ROOT, "  gradient [%.6f, %.6f]%n", grad[0], grad[1]);
        out.println();
        double[] y = {0.1, 0.05, 0.6, 0.0, 0.05, 0.1, 0.0, 0.1, 0.0, 0.0};
        double[] t = {0, 0, 1, 0, 0, 0, 0, 0, 0, 0};
        double mse = meanSquaredError(y, t);
        out.println("MSE of y = [0.1, 0.05, 0.6, 0, 0.05, 0.1, 0, 0.1, 0, 0] against the one-hot t of class 2:");
        out.printf(Locale.ROOT, "  mean (y - t)^2 = %.4f;  with the 1/2 convention, (1/2) sum (y - t)^2 = %.4f%n", mse, mse * y.length / 2);
    }
}
