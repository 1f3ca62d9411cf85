package dev.handnet.examples;

import dev.handnet.backend.cpu.CpuBackend;
import dev.handnet.data.Iris;
import org.junit.jupiter.api.Test;

import java.util.Locale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The neuron example against the slides' formula computed independently here, in plain float64
 * loops: y' = s(x w + b), L = 1/(2N) sum (y' - y)^2, w -= eta (1/N) sum (y' - y) y'(1 - y') x.
 */
class NeuronTest {

    /** w[0..3], b after the given epochs of the slides' formula; loss[e - 1] in epoch e's forward pass. */
    private static double[] slidesFormula(Iris iris, double eta, int epochs, double[] loss) {
        int[] rows = Neuron.TRAIN;
        double[] x = iris.x(rows);
        int[] y = iris.labels(rows);
        double[] w = {0.1, 0.1, 0.1, 0.1};
        double b = 0.1;
        int n = rows.length;
        for (int e = 0; e < epochs; e++) {
            double[] gw = new double[4];
            double gb = 0, l = 0;
            for (int r = 0; r < n; r++) {
                double z = b;
                for (int j = 0; j < 4; j++) z += x[4 * r + j] * w[j];
                double p = 1 / (1 + Math.exp(-z));
                double d = (p - y[r]) * p * (1 - p);
                for (int j = 0; j < 4; j++) gw[j] += d * x[4 * r + j];
                gb += d;
                l += (p - y[r]) * (p - y[r]);
            }
            if (loss != null) loss[e] = l / (2 * n);
            for (int j = 0; j < 4; j++) w[j] -= eta * gw[j] / n;
            b -= eta * gb / n;
        }
        return new double[] {w[0], w[1], w[2], w[3], b};
    }

    @Test
    void handnetsNeuronFollowsTheSlidesFormula() {
        Iris iris = Iris.load();
        double[] loss = new double[Neuron.EPOCHS];
        double[] after15 = slidesFormula(iris, Neuron.ETA, 15, null);
        double[] after999 = slidesFormula(iris, Neuron.ETA, Neuron.EPOCHS, loss);
        try (CpuBackend be = CpuBackend.float64()) {
            Neuron.Result r = Neuron.run(be, iris, Neuron.ETA, Neuron.EPOCHS);
            for (int j = 0; j < 4; j++) {
                assertEquals(after15[j], r.weights15()[j], 1e-12, "w" + j + " after 15 epochs");
                assertEquals(after999[j], r.weights()[j], 1e-12, "w" + j + " after 999 epochs");
            }
            assertEquals(after15[4], r.bias15(), 1e-12);
            assertEquals(after999[4], r.bias(), 1e-12);
            for (int e = 0; e < loss.length; e++) assertEquals(loss[e], r.loss()[e], 1e-12, "loss in epoch " + (e + 1));
        }
    }

    @Test
    void after999EpochsEveryTestFlowerIsOnItsSideOfOneHalf() {
        try (CpuBackend be = CpuBackend.float64()) {
            Neuron.Result r = Neuron.run(be, Iris.load(), Neuron.ETA, Neuron.EPOCHS);
            for (int i = 0; i < Neuron.TEST.length; i++) {
                boolean setosa = Neuron.TEST[i] < 50;
                double p = r.testPredictions()[i];
                assertTrue(setosa ? p < 0.5 : p > 0.5, "row " + Neuron.TEST[i] + ": " + p);
            }
        }
    }

    /** The slides' "15 epochs" weights are their code's 100 epochs on UCI's rows with the step over 100 rows. */
    @Test
    void theSlidesWeightsComeFromTheirCodesRunOnUciData() {
        try (CpuBackend be = CpuBackend.float64()) {
            Neuron.Result r = Neuron.run(be, Iris.load().uciVersion(), Neuron.SLIDE_ETA, Neuron.SLIDE_EPOCHS);
            for (int j = 0; j < 4; j++) {
                assertEquals(String.format(Locale.ROOT, "%.8f", Neuron.SLIDE_WEIGHTS[j]),
                        String.format(Locale.ROOT, "%.8f", r.weights()[j]), "w" + j);
            }
            assertEquals(String.format(Locale.ROOT, "%.8f", Neuron.SLIDE_BIAS), String.format(Locale.ROOT, "%.8f", r.bias()));
            Neuron.Result fifteen = Neuron.run(be, Iris.load(), Neuron.ETA, 15);
            assertTrue(Math.abs(fifteen.weights()[1] - Neuron.SLIDE_WEIGHTS[1]) > 0.2,
                    "15 epochs of the slides' own formula stay far from their printed weights");
        }
    }

    /**
     * The slides' three instances (Iris rows 0-2 labelled 0, 1, 0, w = b = 0.1): y' = s(1.12),
     * s(1.05), s(1.04); MSE and dL/dw0 as computed by python3's math module from the slide's
     * formulas, and the slide's own figures printed beside them.
     */
    @Test
    void theSlidesWorkedExampleWithItsOwnInstances() {
        java.io.StringWriter text = new java.io.StringWriter();
        double[] mseAndGradient = Neuron.printWorkedExample(new java.io.PrintWriter(text, true), Iris.load());
        assertEquals(0.19693266148617491, mseAndGradient[0], 1e-12);
        assertEquals(0.37979908499097864, mseAndGradient[1], 1e-12);
        String out = text.toString();
        assertTrue(out.contains("instance 1  x = [5.1, 3.5, 1.4, 0.2]  y = 0  z = 1.12  y' = s(z) = 0.75399  (slide 0.7539)"), out);
        assertTrue(out.contains("instance 2  x = [4.9, 3.0, 1.4, 0.2]  y = 1  z = 1.05  y' = s(z) = 0.74077"), out);
        assertTrue(out.contains("= 0.19693   (slide 0.19169: its own terms give 1.18143 / 6 = 0.19690)"), out);
        assertTrue(out.contains("= 0.37980   (slide 0.3827"), out);
        assertTrue(out.contains("new w0 = 0.1 - 0.5 x 0.37980 = -0.08990   (slide -0.0913)"), out);
    }
}
