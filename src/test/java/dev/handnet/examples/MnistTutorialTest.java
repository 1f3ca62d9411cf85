package dev.handnet.examples;

import dev.handnet.backend.cpu.CpuBackend;
import dev.handnet.data.DataRoot;
import dev.handnet.data.Mnist;
import dev.handnet.nn.RandomSource;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The MNIST tutorial with numpy's draws lands where the tutorial did: 91.57% after 100 epochs. */
class MnistTutorialTest {

    @Test
    void withNumpysDrawsTheTutorialReachesItsPublishedAccuracy() {
        try (CpuBackend be = new CpuBackend()) {
            MnistTutorial.Result r = MnistTutorial.run(be, Mnist.load(DataRoot.resolve("mnist")), 100, RandomSource.NUMPY,
                    new PrintWriter(new StringWriter()));
            assertEquals(100, r.epochs());
            assertEquals(MnistTutorial.PUBLISHED_ACCURACY, r.test().accuracy(), 0.005,
                    "test accuracy after 100 epochs, published 91.57%");
        }
    }
}
