package dev.handnet.nn;

import dev.handnet.backend.Matrix;
import dev.handnet.backend.Precision;
import dev.handnet.backend.cpu.CpuBackend;
import dev.handnet.data.Dataset;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** --nan-check: the first activation, gradient or parameter that is not finite, named in the order a step computes them. */
class NanCheckTest {

    private static final Architecture ARCH = new Architecture(new int[] {3, 4, 2}, Activation.SIGMOID, Head.CE, true);

    /** W0 (3 x 4), b0, W1 (4 x 2), b1 from a seeded generator; then one weight replaced. */
    private static List<double[]> parameters(int tensor, int index, double value) {
        Random r = new Random(2);
        List<double[]> ps = new ArrayList<>();
        for (int n : new int[] {12, 4, 8, 2}) {
            double[] p = new double[n];
            for (int i = 0; i < n; i++) p[i] = r.nextGaussian();
            ps.add(p);
        }
        ps.get(tensor)[index] = value;
        return ps;
    }

    /** x: (5, 3), a finite batch except where given; t: one-hot (5, 2). */
    private static String afterOneStep(List<double[]> params, double x00) {
        try (CpuBackend be = new CpuBackend(Precision.FLOAT32, 1);
             Mlp net = new Mlp(be, ARCH, params)) {
            double[] x = new double[15];
            for (int i = 0; i < x.length; i++) x[i] = (i % 7) / 7.0;
            x[2 * 3] = x00;  // row 2, column 0
            try (Matrix xs = be.upload(5, 3, x);
                 Matrix t = be.upload(5, 2, new double[] {1, 0, 0, 1, 1, 0, 0, 1, 1, 0})) {
                net.forwardBackward(xs, t);
                net.sgdStep(0.1);
                return net.firstNonFinite();
            }
        }
    }

    @Test
    void aFiniteStepHasNothingToName() {
        assertNull(afterOneStep(parameters(0, 0, 0.5), 0.25));
    }

    @Test
    void aNanWeightIsFoundWhereItFirstSpreads() {
        // W1[1, 1] (row-major index 3 of a 4 x 2) is NaN: every row's z1 column 1 is NaN; z0 and a0 are finite.
        String bad = afterOneStep(parameters(2, 3, Double.NaN), 0.25);
        assertEquals("z1 = a0 W1 (5 x 2) became NaN at row 0, column 1", bad);
    }

    @Test
    void anInfiniteInputIsFoundInTheFirstLayer() {
        String bad = afterOneStep(parameters(0, 0, 0.5), Double.POSITIVE_INFINITY);
        assertTrue(bad.startsWith("z0 = x W0 (5 x 4) became ") && bad.contains("at row 2, column"), bad);
    }

    /** A rate that overflows the weights is stopped by --nan-check at a tensor, no later than the loss check stops it. */
    @Test
    void theTrainerStopsAtTheFirstBadTensorNoLaterThanTheLossDoes() {
        DivergedException byLoss = diverge(false), byTensor = diverge(true);
        assertTrue(byLoss.what().startsWith("the loss became"), byLoss.what());
        assertTrue(byTensor.what().matches("(z|a|dL/d|W|b|the output).* \\(\\d+ x \\d+\\) became (NaN|-?Infinity) at row \\d+, column \\d+"),
                byTensor.what());
        assertTrue(byTensor.batch() >= 1 && byTensor.batch() <= byLoss.batch(), byTensor.batch() + " vs " + byLoss.batch());
        assertTrue(byTensor.getMessage().contains("in batch " + byTensor.batch() + " of 10") && byTensor.getMessage().contains("--lr"),
                byTensor.getMessage());
    }

    private static DivergedException diverge(boolean nanCheck) {
        Random r = new Random(7);
        int n = 200;
        float[] x = new float[n * 3];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i % 2;
            for (int j = 0; j < 3; j++) x[3 * i + j] = (float) (labels[i] + r.nextGaussian());
        }
        try (CpuBackend be = new CpuBackend(Precision.FLOAT32, 1);
             Mlp net = Mlp.initialize(be, ARCH, WeightInit.GLOROT, 0, new Random(1));
             DeviceData data = DeviceData.upload(be, new Dataset("blobs", x, n, 3, labels, 2));
             Trainer trainer = new Trainer(net, nanCheck)) {
            TrainConfig config = new TrainConfig(3e38, 20, 1, TrainConfig.Batching.SHUFFLE, 0);
            return assertThrows(DivergedException.class,
                    () -> trainer.epoch(data, config, new Random(3), (done, total, loss) -> { }));
        }
    }
}
