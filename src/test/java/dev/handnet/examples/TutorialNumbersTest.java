package dev.handnet.examples;

import dev.handnet.backend.cpu.CpuBackend;
import dev.handnet.data.Dataset;
import dev.handnet.data.Mnist;
import dev.handnet.data.DataRoot;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Locale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Each example prints the numbers its tutorial publishes, to the digits published, where the
 * tutorial's computation is deterministic and shown. Run on the float64 CPU backend, as the
 * tutorials' numpy computes.
 */
class TutorialNumbersTest {

    private static final PrintWriter QUIET = new PrintWriter(new StringWriter());

    private static String four(double v) {
        return String.format(Locale.ROOT, "%.4f", v);
    }

    @Test
    void derivativePrintsTheTutorialsForwardDifferences() {
        double[] grad = Derivative.gradient(2, 3);
        assertEquals("17.000002", String.format(Locale.ROOT, "%.6f", grad[0]));
        assertEquals("36.000005", String.format(Locale.ROOT, "%.6f", grad[1]));
        assertEquals(1.305, Derivative.forwardDifference(Derivative::f, 5, 0.1), 1e-12);
        StringWriter text = new StringWriter();
        Derivative.print(new PrintWriter(text, true));
        assertTrue(text.toString().contains("gradient [17.000002, 36.000005]"), text::toString);
    }

    @Test
    void irisLinearRegressionPrintsThePublishedLosses() {
        try (CpuBackend be = CpuBackend.float64()) {
            IrisLinearRegression.Result r = IrisLinearRegression.run(be, QUIET);
            assertEquals(List.of(1, 11, 21, 31, 41, 51, 61, 71, 81, 91), r.iterations());
            assertEquals("42.1148", four(r.trainLoss().get(0)));
            assertEquals("39.4721", four(r.validLoss().get(0)));
            assertEquals("0.0551", four(r.trainLoss().get(9)));
            assertEquals("0.0225", four(r.validLoss().get(9)));
            assertEquals(0.0, r.testMse());
        }
    }

    @Test
    void irisTwoLayerAsPublishedPrintsThePublishedLosses() {
        try (CpuBackend be = CpuBackend.float64()) {
            IrisTwoLayer.Result r = IrisTwoLayer.run(be, IrisTwoLayer.Variant.AS_PUBLISHED, 300);
            String[] train = {"0.5166", "0.4769", "0.3166", "0.1796"};
            String[] valid = {"0.5436", "0.5154", "0.2497", "0.1811"};
            int[] at = {50, 100, 200, 300};
            for (int i = 0; i < at.length; i++) {
                int k = r.iterations().indexOf(at[i]);
                assertEquals(train[i], four(r.trainLoss().get(k)), "training loss at " + at[i]);
                assertEquals(valid[i], four(r.validLoss().get(k)), "validation loss at " + at[i]);
            }
        }
    }

    /** The tutorial's s(a1)(1 - s(a1)) is not the gradient; a1(1 - a1) is, to finite-difference accuracy. */
    @Test
    void onlyTheCorrectedIrisTwoLayerFollowsTheGradient() {
        try (CpuBackend be = CpuBackend.float64()) {
            IrisTwoLayer.Result published = IrisTwoLayer.run(be, IrisTwoLayer.Variant.AS_PUBLISHED, 1);
            IrisTwoLayer.Result correct = IrisTwoLayer.run(be, IrisTwoLayer.Variant.CORRECT, 1);
            assertTrue(correct.gradientError() < 1e-6, "correct variant error " + correct.gradientError());
            assertTrue(published.gradientError() > 0.1, "published variant error " + published.gradientError());
        }
    }

    @Test
    void logisticPassesTheCoursesChecks() {
        try (CpuBackend be = CpuBackend.float64()) {
            double[] s = Logistic.sigmoid(be, new double[] {0, 2});
            assertEquals("0.5", String.valueOf(s[0]));
            assertEquals("0.88079708", String.format(Locale.ROOT, "%.8f", s[1]));
            Logistic.Propagation p = Logistic.propagate(be, new double[] {1, 2}, 2,
                    new double[] {1, 3, 2, 4, -1, -3.2}, 3, new double[] {1, 0, 1});
            assertEquals("0.99845601", String.format(Locale.ROOT, "%.8f", p.dw()[0]));
            assertEquals("2.39507239", String.format(Locale.ROOT, "%.8f", p.dw()[1]));
            assertEquals("0.00145558", String.format(Locale.ROOT, "%.8f", p.db()));
            assertEquals(5.801545319394553, p.cost(), 1e-14);
        }
    }

    /** 3 against 5 is a real task: the cost falls from log 2 and most held-out digits are right. */
    @Test
    void logisticRegressionLearnsThreeAgainstFive() {
        Mnist.Split mnist = Mnist.load(DataRoot.resolve("mnist"));
        Dataset train = Logistic.binary(mnist.train(), 3, 5).head(1000);
        Dataset test = Logistic.binary(mnist.test(), 3, 5);
        assertEquals(1902, test.rows(), "3s and 5s in the MNIST test set");
        try (CpuBackend be = new CpuBackend()) {
            Logistic.Result r = Logistic.run(be, train, test, 300, QUIET);
            assertEquals(Math.log(2), r.costs().get(0), 1e-6, "w = 0, b = 0 predict 0.5 everywhere");
            assertTrue(r.costs().get(2) < 0.6 * r.costs().get(0), "cost " + r.costs());
            assertTrue(r.testAccuracy() > 0.85, "test accuracy " + r.testAccuracy());
        }
    }
}
