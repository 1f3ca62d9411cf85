package dev.handnet.examples;

import dev.handnet.backend.Backend;
import dev.handnet.backend.Precision;
import dev.handnet.backend.cpu.CpuBackend;
import dev.handnet.backend.opencl.OpenClBackend;
import dev.handnet.backend.opencl.OpenClTestDevice;
import dev.handnet.data.DataRoot;
import dev.handnet.data.Dataset;
import dev.handnet.data.Iris;
import dev.handnet.data.Mnist;
import dev.handnet.nn.NumpyRandom;
import dev.handnet.nn.RandomSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The examples that train print the same numbers on OpenCL as on the CPU: both in float64, as
 * the examples run by default, and the MNIST tutorial in float32 as {@code train} runs it.
 * Runs on PoCL in CI (and fails there without an OpenCL platform).
 */
class ExamplesOnOpenClTest {

    private static final PrintWriter QUIET = new PrintWriter(new StringWriter());

    /** The same example on the float64 CPU backend and the float64 OpenCL backend. */
    private static <R> List<R> onBoth(Function<Backend, R> example) {
        try (CpuBackend cpu = CpuBackend.float64();
             OpenClBackend cl = new OpenClBackend(OpenClTestDevice.get(), Precision.FLOAT64)) {
            return List.of(example.apply(cpu), example.apply(cl));
        }
    }

    private static List<String> four(List<Double> values) {
        return printed("%.4f", values);
    }

    private static List<String> printed(String format, List<Double> values) {
        return values.stream().map(v -> String.format(Locale.ROOT, format, v)).toList();
    }

    @Test
    void irisLinearRegressionPrintsTheSameLosses() {
        List<IrisLinearRegression.Result> r = onBoth(be -> IrisLinearRegression.run(be, QUIET));
        assertEquals(four(r.get(0).trainLoss()), four(r.get(1).trainLoss()));
        assertEquals(four(r.get(0).validLoss()), four(r.get(1).validLoss()));
        assertEquals(r.get(0).testMse(), r.get(1).testMse());
    }

    /**
     * Equal to 4 decimals on every printed row the example does not mark as past its chaotic
     * horizon (see IrisTwoLayer.Variant.reproducibleUntil), with the same test accuracy and
     * the same verdict on which variant is the gradient.
     */
    @ParameterizedTest
    @EnumSource(IrisTwoLayer.Variant.class)
    void irisTwoLayerPrintsTheSameLossesUpToItsChaoticHorizon(IrisTwoLayer.Variant variant) {
        List<IrisTwoLayer.Result> r = onBoth(be -> IrisTwoLayer.run(be, variant, IrisTwoLayer.ITERATIONS));
        List<Integer> iterations = r.get(0).iterations();
        int compared = 0;
        for (int i = 0; i < iterations.size() && iterations.get(i) <= variant.reproducibleUntil(Precision.FLOAT64); i++, compared++) {
            assertEquals(four(List.of(r.get(0).trainLoss().get(i), r.get(0).validLoss().get(i))),
                    four(List.of(r.get(1).trainLoss().get(i), r.get(1).validLoss().get(i))), "iteration " + iterations.get(i));
        }
        assertTrue(compared >= 2, "rows compared: " + compared);
        assertEquals(r.get(0).testAccuracy(), r.get(1).testAccuracy());
        assertEquals(r.get(0).gradientError() < 1e-6, r.get(1).gradientError() < 1e-6);
    }

    @Test
    void theNeuronTrainsTheSameWay() {
        List<Neuron.Result> r = onBoth(be -> Neuron.run(be, Iris.load(), Neuron.ETA, Neuron.EPOCHS));
        assertArrayEquals(r.get(0).loss(), r.get(1).loss(), 1e-9);
        assertArrayEquals(r.get(0).weights(), r.get(1).weights(), 1e-9);
        assertArrayEquals(r.get(0).testPredictions(), r.get(1).testPredictions(), 1e-9);
        List<Neuron.Result> slides = onBoth(be -> Neuron.run(be, Iris.load().uciVersion(), Neuron.SLIDE_ETA, Neuron.SLIDE_EPOCHS));
        assertArrayEquals(slides.get(0).weights(), slides.get(1).weights(), 1e-12);
    }

    @Test
    void xorAndLinearTrainTheSameWay() {
        List<TinyNetwork.Result> xor = onBoth(be -> TinyNetwork.train(be, TinyNetwork.xorEasy(), new NumpyRandom(1), 1000, QUIET));
        assertArrayEquals(xor.get(0).epochLoss(), xor.get(1).epochLoss(), 1e-9);
        assertArrayEquals(xor.get(0).predictions(), xor.get(1).predictions(), 1e-9);
        List<TinyNetwork.Result> linear = onBoth(be -> {
            NumpyRandom rng = new NumpyRandom(1);
            return TinyNetwork.train(be, TinyNetwork.linear(rng, 100), rng, 100, QUIET);
        });
        assertArrayEquals(linear.get(0).epochLoss(), linear.get(1).epochLoss(), 1e-9);
        assertEquals(linear.get(0).correct(), linear.get(1).correct());
    }

    @Test
    void logisticRegressionTrainsTheSameWay() {
        Mnist.Split mnist = Mnist.load(DataRoot.resolve("mnist"));
        Dataset train = Logistic.binary(mnist.train(), 3, 5).head(300);
        Dataset test = Logistic.binary(mnist.test(), 3, 5).head(300);
        List<Logistic.Result> r = onBoth(be -> Logistic.run(be, train, test, 101, QUIET));
        assertEquals(printed("%f", r.get(0).costs()), printed("%f", r.get(1).costs()), "costs as printed");
        assertEquals(r.get(0).testAccuracy(), r.get(1).testAccuracy());
        List<Logistic.Propagation> checks = onBoth(be -> Logistic.propagate(be, new double[] {1, 2}, 2,
                new double[] {1, 3, 2, 4, -1, -3.2}, 3, new double[] {1, 0, 1}));
        assertArrayEquals(checks.get(0).dw(), checks.get(1).dw(), 1e-12);
        assertEquals(checks.get(0).cost(), checks.get(1).cost(), 1e-12);
    }

    /** float32 on both, one epoch: the tutorial's weights and batches give the same test accuracy. */
    @Test
    void theMnistTutorialsFirstEpochMatches() {
        Mnist.Split mnist = Mnist.load(DataRoot.resolve("mnist"));
        try (CpuBackend cpu = new CpuBackend(); OpenClBackend cl = new OpenClBackend(OpenClTestDevice.get())) {
            double a = MnistTutorial.run(cpu, mnist, 1, RandomSource.NUMPY, QUIET).test().accuracy();
            double b = MnistTutorial.run(cl, mnist, 1, RandomSource.NUMPY, QUIET).test().accuracy();
            assertEquals(a, b, 0.0005, "test accuracy after one epoch, cpu " + a + " opencl " + b);
        }
    }
}
