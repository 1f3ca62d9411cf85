package dev.handnet.examples;

import dev.handnet.backend.cpu.CpuBackend;
import dev.handnet.nn.NumpyRandom;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The 2-4-4-1 lab network. The expected losses come from the same lab code in numpy
 * ({@code /usr/bin/python3 scripts/tutorial-reference.py}), seed 1, learning rate 0.1.
 */
class TinyNetworkTest {

    private static final PrintWriter QUIET = new PrintWriter(new StringWriter());

    @Test
    void xorEasyHasTwentyOnePointsOnTheTwoDiagonals() {
        TinyNetwork.Points p = TinyNetwork.xorEasy();
        assertEquals(21, p.y().length);
        for (int i = 0; i < p.y().length; i++) {
            double x0 = p.x()[2 * i], x1 = p.x()[2 * i + 1];
            assertTrue(p.y()[i] == 0 ? x0 == x1 : Math.abs(x0 + x1 - 1) < 1e-12, "point " + i);
        }
    }

    @Test
    void xorIsLearnedAsNumpyLearnsIt() {
        try (CpuBackend be = CpuBackend.float64()) {
            TinyNetwork.Result r = TinyNetwork.train(be, TinyNetwork.xorEasy(), new NumpyRandom(1), TinyNetwork.Xor.EPOCHS, QUIET);
            assertEquals(0.09433573148544012, r.epochLoss()[999], 1e-12);
            assertEquals(0.0009083770772042805, r.epochLoss()[4999], 1e-12);
            assertEquals(21, r.correct());
        }
    }

    @Test
    void theLinearBoundaryIsLearnedAsNumpyLearnsIt() {
        NumpyRandom rng = new NumpyRandom(1);
        TinyNetwork.Points data = TinyNetwork.linear(rng, 100);
        try (CpuBackend be = CpuBackend.float64()) {
            TinyNetwork.Result r = TinyNetwork.train(be, data, rng, TinyNetwork.Linear.EPOCHS, QUIET);
            assertEquals(0.004988015307810002, r.epochLoss()[999], 1e-12);
            assertEquals(0.0009731796246670539, r.epochLoss()[2999], 1e-12);
            assertEquals(100, r.correct());
        }
    }
}
