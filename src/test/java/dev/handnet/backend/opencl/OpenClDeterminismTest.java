package dev.handnet.backend.opencl;

import dev.handnet.backend.Precision;
import dev.handnet.data.Dataset;
import dev.handnet.data.Mnist;
import dev.handnet.nn.Activation;
import dev.handnet.nn.Architecture;
import dev.handnet.nn.Head;
import dev.handnet.nn.SeededTraining;
import dev.handnet.nn.TrainConfig;
import dev.handnet.nn.WeightInit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;

/**
 * Run to run on OpenCL: the same seeded training on two fresh backends (two contexts, the
 * kernels compiled twice) gives the same bits. Every kernel writes each output from one
 * work-item or one work-group in a fixed order, and countCorrect's atomic adds are integers.
 * The device is {@link OpenClTestDevice}'s: without OpenCL the test is skipped, but fails under CI=true.
 */
class OpenClDeterminismTest {

    private static Dataset train;

    @BeforeAll
    static void load() {
        train = Mnist.load(Path.of(System.getenv().getOrDefault("HANDNET_DATA", "data"), "mnist")).train().head(2000);
    }

    /** Cross-entropy with shuffled batches of 200 (the last of each epoch shorter), then the tutorial's head with random batches. */
    private static final SeededTraining.Recipe[] RECIPES = {
            new SeededTraining.Recipe("ce, shuffle", new Architecture(new int[] {784, 64, 10}, Activation.SIGMOID, Head.CE, true),
                    WeightInit.GLOROT, 0, new TrainConfig(1.0, 192, 2, TrainConfig.Batching.SHUFFLE, 0), 5),
            new SeededTraining.Recipe("tutorial head, random batches",
                    new Architecture(new int[] {784, 64, 10}, Activation.SIGMOID, Head.TUTORIAL, true),
                    WeightInit.NORMAL, 0.1, new TrainConfig(2.0, 100, 2, TrainConfig.Batching.RANDOM, 10), 21)};

    @ParameterizedTest
    @EnumSource(Precision.class)
    void theSameSeedGivesTheSameWeightsRunAfterRun(Precision precision) {
        DeviceInfo device = OpenClTestDevice.get();
        if (precision == Precision.FLOAT64 && !device.float64()) return;  // no cl_khr_fp64: float32 was the point
        for (SeededTraining.Recipe recipe : RECIPES) {
            SeededTraining.Outcome first, second;
            try (OpenClBackend be = new OpenClBackend(device, precision)) {
                first = SeededTraining.run(be, train, recipe);
            }
            try (OpenClBackend be = new OpenClBackend(device, precision)) {
                second = SeededTraining.run(be, train, recipe);
            }
            SeededTraining.assertBitIdentical(first, second, precision + ", " + recipe.name());
        }
    }
}
