package dev.handnet.backend.opencl;

import dev.handnet.backend.cpu.CpuBackend;
import dev.handnet.cli.HandnetCommand;
import dev.handnet.data.Dataset;
import dev.handnet.data.Mnist;
import dev.handnet.nn.Activation;
import dev.handnet.nn.Architecture;
import dev.handnet.nn.DeviceData;
import dev.handnet.nn.Evaluation;
import dev.handnet.nn.Head;
import dev.handnet.nn.Mlp;
import dev.handnet.nn.TrainConfig;
import dev.handnet.nn.Trainer;
import dev.handnet.nn.TrainingParity;
import dev.handnet.nn.WeightInit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Whole training runs on OpenCL against the CPU backend, from the same seed. */
class OpenClTrainingTest {

    private static final Architecture MNIST_NET =
            new Architecture(new int[] {784, 100, 10}, Activation.SIGMOID, Head.CE, true);
    private static Mnist.Split mnist;

    @BeforeAll
    static void load() {
        mnist = Mnist.load(Path.of(System.getenv().getOrDefault("HANDNET_DATA", "data"), "mnist"));
    }

    /**
     * 300 SGD steps on both backends. Tolerance 1e-4 on every batch loss and every weight:
     * the runs differ only by float32 rounding (~1e-7 per op) that each step carries into
     * the next; measured 4e-7 (loss) and 1e-6 (weights) on PoCL, so 1e-4 leaves room for
     * other devices, while a wrong op shows up as 1e-2 or more within a step.
     */
    @Test
    void aSeededRunFollowsTheSameTrajectoryOnBothBackends() {
        try (CpuBackend cpu = new CpuBackend(); OpenClBackend cl = new OpenClBackend(OpenClTestDevice.get())) {
            TrainConfig config = new TrainConfig(1.0, 32, 1, TrainConfig.Batching.SHUFFLE, 0);
            TrainingParity.Result r = TrainingParity.run(cpu, cl, mnist.train().head(5000), MNIST_NET,
                    WeightInit.GLOROT, config, 300, 11);
            assertTrue(r.lossesA()[299] < r.lossesA()[0] / 3, "the run learns: " + TrainingParity.describe(r));
            assertTrue(r.maxLossDifference() <= 1e-4, TrainingParity.describe(r));
            assertTrue(r.maxWeightDifference() <= 1e-4, TrainingParity.describe(r));
        }
    }

    /** The bar: after one full MNIST epoch, test accuracies within 0.2 percentage points. */
    @Test
    void oneEpochOnBothBackendsGivesTheSameTestAccuracy() {
        try (CpuBackend cpu = new CpuBackend(); OpenClBackend cl = new OpenClBackend(OpenClTestDevice.get())) {
            double a = firstEpochTestAccuracy(cpu), b = firstEpochTestAccuracy(cl);
            assertTrue(Math.abs(a - b) <= 0.002, "cpu " + a + " vs opencl " + b);
            assertTrue(a > 0.93, "one epoch reaches the usual accuracy: " + a);
        }
    }

    private static double firstEpochTestAccuracy(dev.handnet.backend.Backend be) {
        Random rng = new Random(5);
        try (Mlp net = Mlp.initialize(be, MNIST_NET, WeightInit.GLOROT, 0, rng);
             DeviceData train = DeviceData.upload(be, mnist.train());
             DeviceData test = DeviceData.upload(be, mnist.test());
             Trainer trainer = new Trainer(net)) {
            trainer.epoch(train, new TrainConfig(1.0, 32, 1, TrainConfig.Batching.SHUFFLE, 0), rng, (d, t, l) -> { });
            Evaluation e = trainer.evaluate(test);
            return e.accuracy();
        }
    }

    /** A step on its own moves its indices (one upload, for inputs and targets) and reads its loss. */
    @Test
    void aTrainingStepMovesOnlyIndicesAndTheLoss() {
        Dataset small = mnist.train().head(500);
        try (OpenClBackend cl = new OpenClBackend(OpenClTestDevice.get());
             Mlp net = Mlp.initialize(cl, MNIST_NET, WeightInit.GLOROT, 0, new Random(1));
             DeviceData data = DeviceData.upload(cl, small);
             Trainer trainer = new Trainer(net)) {
            int[] batch = new int[32];
            for (int step = 0; step < 10; step++) {
                for (int i = 0; i < batch.length; i++) batch[i] = (step * 32 + i) % small.rows();
                long before = cl.transfers();
                trainer.step(data, batch, 0.5);
                assertEquals(2, cl.transfers() - before, "transfers in step " + step);
            }
        }
    }

    /** An epoch uploads its batch order once and reads its loss total once, whatever its number of steps. */
    @ParameterizedTest(name = "{0}")
    @EnumSource(TrainConfig.Batching.class)
    void anEpochMovesItsBatchOrderOnceAndReadsItsLossOnce(TrainConfig.Batching batching) {
        Dataset small = mnist.train().head(640);
        try (OpenClBackend cl = new OpenClBackend(OpenClTestDevice.get());
             Mlp net = Mlp.initialize(cl, MNIST_NET, WeightInit.GLOROT, 0, new Random(1));
             DeviceData data = DeviceData.upload(cl, small);
             Trainer trainer = new Trainer(net)) {
            int[] steps = {0};
            long before = cl.transfers();
            double loss = trainer.epoch(data, new TrainConfig(0.5, 32, 1, batching, 20), new Random(2),
                    (done, total, meanLoss) -> steps[0] = total);
            assertEquals(20, steps[0]);
            assertEquals(2, cl.transfers() - before, "transfers in an epoch of " + steps[0] + " steps");
            assertTrue(loss > 0.5 && loss < 5, "the mean batch loss of a first epoch: " + loss);
        }
    }

    @Test
    void parityCommandPassesForCpuAgainstOpenCl() {
        StringWriter out = new StringWriter(), err = new StringWriter();
        String device = OpenClTestDevice.get().spec();
        int code = HandnetCommand.run(new PrintWriter(out, true), new PrintWriter(err, true),
                "parity", "--devices", "cpu," + device, "--steps", "100");
        assertEquals(0, code, out + "\n" + err);
        assertTrue(out.toString().contains("parity passed"), out.toString());
        assertTrue(out.toString().contains("gemm aᵀ") && out.toString().contains("countCorrect"), out.toString());
    }

    @Test
    void parityCommandComparesTwoFloat64BackendsAtTheTighterTolerance() {
        StringWriter out = new StringWriter(), err = new StringWriter();
        String device = OpenClTestDevice.get().spec();
        int code = HandnetCommand.run(new PrintWriter(out, true), new PrintWriter(err, true),
                "parity", "--devices", "cpu," + device, "--precision", "float64", "--steps", "50");
        assertEquals(0, code, out + "\n" + err);
        assertEquals(2, out.toString().lines().filter(l -> l.matches("[AB]: .*float64.*")).count(), out.toString());
        assertTrue(out.toString().contains("<= 1e-12"), out.toString());
        assertTrue(out.toString().contains("parity passed"), out.toString());
    }
}
