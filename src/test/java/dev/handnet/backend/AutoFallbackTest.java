package dev.handnet.backend;

import dev.handnet.backend.cpu.CpuBackend;
import dev.handnet.backend.opencl.DeviceInfo;
import dev.handnet.backend.opencl.OpenClTestDevice;
import dev.handnet.data.Dataset;
import dev.handnet.nn.Activation;
import dev.handnet.nn.Architecture;
import dev.handnet.nn.DeviceData;
import dev.handnet.nn.DeviceFailedException;
import dev.handnet.nn.Head;
import dev.handnet.nn.Mlp;
import dev.handnet.nn.TrainConfig;
import dev.handnet.nn.Trainer;
import dev.handnet.nn.WeightInit;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * {@code --device auto} falls back to the CPU only while it opens, saying so in one log line
 * (stderr, at INFO or WARN, shown by default); once it has returned a device, a failure of that
 * device is an error. The OpenCL test device stands in for a GPU.
 */
class AutoFallbackTest {

    /** What the logger wrote to stderr while f ran, and f's result. */
    private record Logged<T>(T result, String log) {
    }

    private static <T> Logged<T> logged(Supplier<T> f) {
        PrintStream console = System.err;
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        System.setErr(new PrintStream(log, true, StandardCharsets.UTF_8));
        try {
            T result = f.get();
            return new Logged<>(result, log.toString(StandardCharsets.UTF_8));
        } finally {
            System.setErr(console);
        }
    }

    @Test
    void withoutAGpuAutoTakesTheCpuAndSaysSo() {
        Logged<Backend> auto = logged(() -> Backends.openAuto(Precision.FLOAT32, List::of, d -> fail("no GPU to open")));
        try (Backend be = auto.result()) {
            assertInstanceOf(CpuBackend.class, be);
            assertEquals("[INFO] device auto: no OpenCL GPU found; using the CPU backend", auto.log().strip());
        }
    }

    /** Its kernels do not compile on the "GPU": auto says why in one line and opens the CPU, before any training. */
    @Test
    void aGpuThatFailsToOpenFallsBackToTheCpuBeforeTraining() {
        DeviceInfo gpu = OpenClTestDevice.asGpu();
        Logged<Backend> auto = logged(() -> Backends.openAuto(Precision.FLOAT32, () -> List.of(gpu),
                d -> Backends.open("faulty:" + d.spec() + ":build-fail")));
        try (Backend be = auto.result()) {
            assertInstanceOf(CpuBackend.class, be);
            String log = auto.log().strip();
            assertEquals(1, log.lines().count(), log);
            assertTrue(log.startsWith("[WARN] device auto: OpenCL GPU " + gpu.describe() + " failed to open (kernels/elementwise.cl"
                    + " failed to build for ") && log.contains("undefined_name") && log.endsWith("; using the CPU backend"), log);
        }
    }

    /** Once auto has returned the "GPU", its loss mid-run stops training with an error on that same device. */
    @Test
    void onceTrainingHasStartedAFailureIsAnErrorNeverASwitchToTheCpu() {
        DeviceInfo gpu = OpenClTestDevice.asGpu();
        long oneEpoch;
        try (Backend be = Backends.openAuto(Precision.FLOAT32, () -> List.of(gpu),
                d -> Backends.open("faulty:" + d.spec() + ":lost-after=" + Long.MAX_VALUE))) {
            train(be, 1);
            oneEpoch = ((FaultyBackend) be).ops();
        }
        Logged<DeviceFailedException> run = logged(() -> {
            try (Backend be = Backends.openAuto(Precision.FLOAT32, () -> List.of(gpu),
                    d -> Backends.open("faulty:" + d.spec() + ":lost-after=" + (oneEpoch + 5)))) {
                assertTrue(be.name().contains(gpu.spec()), be.name());
                DeviceFailedException e = assertThrows(DeviceFailedException.class, () -> train(be, 3));
                assertThrows(DeviceException.class, () -> be.allocate(1, 1), "the same lost device, not a new one");
                return e;
            }
        });
        assertEquals(2, run.result().epoch(), run.result().getMessage());
        assertTrue(run.result().getMessage().contains("CL_DEVICE_NOT_AVAILABLE on faulty(lost-after=")
                && run.result().getMessage().contains(gpu.spec()), run.result().getMessage());
        assertEquals("[INFO] device auto: using the OpenCL GPU faulty(lost-after=" + (oneEpoch + 5) + ") opencl " + gpu.spec(),
                run.log().strip().substring(0, run.log().strip().indexOf(gpu.spec()) + gpu.spec().length()),
                "one line, before training, and nothing after the failure");
        assertEquals(1, run.log().strip().lines().count(), run.log());
    }

    /** epochs of SGD on 64 random rows of 4 features in 3 classes, batches of 16. */
    private static void train(Backend be, int epochs) {
        Random random = new Random(5);
        float[] x = new float[64 * 4];
        int[] labels = new int[64];
        for (int i = 0; i < x.length; i++) x[i] = random.nextFloat();
        for (int i = 0; i < labels.length; i++) labels[i] = random.nextInt(3);
        Dataset data = new Dataset("random", x, 64, 4, labels, 3);
        Architecture arch = new Architecture(new int[] {4, 8, 3}, Activation.SIGMOID, Head.CE, true);
        try (Mlp net = Mlp.initialize(be, arch, WeightInit.GLOROT, 0, random);
             DeviceData d = DeviceData.upload(be, data);
             Trainer trainer = new Trainer(net)) {
            trainer.train(d, d, new TrainConfig(0.5, 16, epochs, TrainConfig.Batching.SHUFFLE, 0), random,
                    (done, total, loss) -> { }, report -> { });
        }
    }
}
