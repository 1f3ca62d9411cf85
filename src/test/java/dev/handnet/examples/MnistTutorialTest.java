package dev.handnet.examples;

import dev.handnet.backend.cpu.CpuBackend;
import dev.handnet.data.DataRoot;
import dev.handnet.data.Mnist;
import dev.handnet.nn.RandomSource;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * The MNIST tutorial with numpy's draws, 100 epochs in float32, lands on handnet's own published
 * result (README, Results: 91.36% test accuracy, test loss 0.066426), not merely near the
 * tutorial's float64 91.57%.
 *
 * <p>The tolerances sit between two kinds of difference. Changing only the float32 rounding
 * leaves the result where it is: with the Vector API's SVML exp instead of VectorMath's, this
 * run gave 91.36% and 0.066426 again (0.066993 against 0.066994 one epoch earlier), and on PoCL,
 * whose GEMM sums in another order, 91.36% and 0.0664 (README). Changing the draws or the
 * arithmetic moves it by far more: Java's generator gives 91.83% and 0.060499 (measured with
 * {@code --rng java}), the tutorial's float64 numpy 91.57% and 0.063376. So 0.1 points (10 of
 * the 10 000 test images) and 0.0005 in loss: room for another machine's rounding (a different
 * L2 size changes the GEMM's k-blocks), and a run with other draws or in float64 fails.
 */
class MnistTutorialTest {

    /** handnet's own float32 result with numpy's draws, README's Results table. */
    static final double FLOAT32_ACCURACY = 0.9136, FLOAT32_LOSS = 0.066426;
    static final double ACCURACY_TOLERANCE = 0.001, LOSS_TOLERANCE = 0.0005;

    @Test
    void withNumpysDrawsTheTutorialReachesHandnetsPublishedFloat32Result() {
        try (CpuBackend be = new CpuBackend()) {
            MnistTutorial.Result r = MnistTutorial.run(be, Mnist.load(DataRoot.resolve("mnist")), 100, RandomSource.NUMPY,
                    new PrintWriter(new StringWriter()));
            assertEquals(100, r.epochs());
            assertEquals(FLOAT32_ACCURACY, r.test().accuracy(), ACCURACY_TOLERANCE,
                    "test accuracy after 100 epochs, published 91.36% (float32; Java's generator gives 91.83%, float64 numpy 91.57%)");
            assertEquals(FLOAT32_LOSS, r.test().loss(), LOSS_TOLERANCE,
                    "test loss after 100 epochs, published 0.066426 (Java's generator gives 0.060499, float64 numpy 0.063376)");
        }
    }

    /** The tolerances above must separate the published float32 result from the two runs they are meant to reject. */
    @Test
    void theTolerancesRejectJavasGeneratorAndTheFloat64Tutorial() {
        double[][] others = {{0.9183, 0.060499}, {MnistTutorial.PUBLISHED_ACCURACY, MnistTutorial.PUBLISHED_LOSS}};
        for (double[] o : others) {
            boolean accepted = Math.abs(o[0] - FLOAT32_ACCURACY) <= ACCURACY_TOLERANCE && Math.abs(o[1] - FLOAT32_LOSS) <= LOSS_TOLERANCE;
            assertFalse(accepted, "accuracy " + o[0] + ", loss " + o[1] + " would pass");
        }
    }
}
