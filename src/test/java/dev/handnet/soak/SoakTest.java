package dev.handnet.soak;

import dev.handnet.backend.Backend;
import dev.handnet.backend.cpu.CpuBackend;
import dev.handnet.backend.opencl.ClObjects;
import dev.handnet.backend.opencl.OpenClBackend;
import dev.handnet.backend.opencl.OpenClProbe;
import dev.handnet.backend.opencl.OpenClTestDevice;
import dev.handnet.data.Dataset;
import dev.handnet.data.Mnist;
import dev.handnet.io.Checkpoint;
import dev.handnet.nn.DeviceData;
import dev.handnet.nn.Mlp;
import dev.handnet.nn.Preset;
import dev.handnet.nn.TrainConfig;
import dev.handnet.nn.Trainer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Many epochs of training, on the CPU and on OpenCL, watching for leaks: after each epoch the
 * heap in use after a full GC, the process's resident memory, and the backend's live matrices,
 * OpenCL buffers (and their bytes), kernels and programs. The backend's figures must not move
 * at all after the second epoch (training allocates its buffers in the first), the heap must
 * stay within {@link #HEAP_SLACK} of where it was after the warm-up epochs, and nothing may be
 * left once the backend is closed: no matrix, no OpenCL object (buffers, kernels, programs, the
 * queue, the context), no CPU worker thread. Prints a table and writes it to target/soak.csv.
 * The resident set is recorded but not asserted: it also moves with the JIT's code cache and
 * the heap the GC commits, which are not leaks.
 *
 * <p>Not part of the normal run (the pom excludes the tag); run it with
 * {@code mvn -B -o test -Dgroups=soak -Dhandnet.excludedGroups= -Dtest=SoakTest}, optionally with
 * {@code -Dsoak.epochs=N} and {@code -Dsoak.rows=N} (defaults {@value #EPOCHS} and {@value #ROWS}).
 */
@Tag("soak")
class SoakTest {

    /** 50 epochs of all 60 000 training rows: 95 s for both backends on the development machine's 2 cores. */
    private static final int EPOCHS = 50;
    private static final int ROWS = 60_000;
    /** Epochs before the baseline: the first allocates the training and evaluation buffers, the JIT settles. */
    private static final int WARMUP = 3;
    /**
     * Heap growth allowed after the warm-up: 4 MiB. A leaked batch (32 x 784 floats, 100 KiB) per
     * step would add 30 MiB an epoch, one leaked evaluation chunk (1000 x 784) 3 MiB an epoch.
     */
    private static final long HEAP_SLACK = 4L << 20;

    private static Mnist.Split mnist;
    private static final List<SoakRow> rows = new ArrayList<>();

    @TempDir
    Path dir;

    @BeforeAll
    static void load() {
        mnist = Mnist.load(Path.of(System.getenv().getOrDefault("HANDNET_DATA", "data"), "mnist"));
    }

    @AfterAll
    static void report() throws IOException {
        System.out.println(SoakRow.table(rows));
        Path csv = Path.of(System.getProperty("soak.csv", "target/soak.csv"));
        Files.createDirectories(csv.toAbsolutePath().getParent());
        Files.write(csv, SoakRow.csv(rows));
        System.out.println("wrote " + csv.toAbsolutePath());
    }

    @Test
    void theCpuBackendHoldsItsMemoryFlatAndReleasesEverything() {
        long workersBefore = cpuWorkers();
        CpuBackend be = new CpuBackend();
        List<SoakRow> run = soak("cpu", be, () -> new long[] {be.liveMatrices(), be.liveBytes(), 0, 0, 0, 0});
        be.close();
        SoakRow closed = SoakRow.closed("cpu", new long[] {be.liveMatrices(), be.liveBytes(), 0, 0, 0, 0});
        rows.add(closed);
        assertFlat(run);
        assertEquals(0, closed.liveMatrices() + closed.liveBytes(), "matrices left after close: " + closed);
        assertTrue(cpuWorkers() <= workersBefore, "CPU worker threads left after close: " + cpuWorkers() + ", before " + workersBefore);
    }

    @Test
    void theOpenClBackendHoldsItsMemoryFlatAndReleasesEveryObject() {
        OpenClBackend be = new OpenClBackend(OpenClTestDevice.get());
        List<SoakRow> run = soak("opencl", be, () -> openCl(be));
        be.close();
        ClObjects left = OpenClProbe.liveObjects(be);
        rows.add(SoakRow.closed("opencl", openCl(be)));
        assertFlat(run);
        assertEquals(0, left.total(), "OpenCL objects left after close: " + left);
        assertEquals(0, left.bufferBytes(), "buffer bytes left after close: " + left);
        assertEquals(0, be.liveMatrices(), "matrices left after close");
    }

    private static long[] openCl(OpenClBackend be) {
        ClObjects o = OpenClProbe.liveObjects(be);
        return new long[] {be.liveMatrices(), be.liveBytes(), o.buffers(), o.bufferBytes(), o.kernels(), o.programs()};
    }

    /** Trains the modern preset's network as {@code handnet train} does (evaluation and a checkpoint each epoch), recording a row per epoch. */
    private List<SoakRow> soak(String name, Backend be, java.util.function.Supplier<long[]> live) {
        int epochs = Integer.getInteger("soak.epochs", EPOCHS);
        int n = Math.min(mnist.train().rows(), Integer.getInteger("soak.rows", ROWS));
        Dataset train = mnist.train().head(n), test = mnist.test().head(2000);
        Preset p = Preset.MODERN;
        TrainConfig config = p.config(epochs);
        Random random = new Random(p.seed);
        List<SoakRow> run = new ArrayList<>();
        try (Mlp net = Mlp.initialize(be, p.architecture(train.features(), train.classes()), p.init, p.biasInit, random);
             DeviceData trainData = DeviceData.upload(be, train);
             DeviceData testData = DeviceData.upload(be, test);
             Trainer trainer = new Trainer(net)) {
            trainer.train(trainData, testData, config, random, (done, total, loss) -> { }, report -> {
                save(net, dir.resolve(name + ".hnet"));
                SoakRow row = SoakRow.measure(name, report, live.get());
                run.add(row);
                rows.add(row);
                System.out.println(row.line());
            });
        }
        return run;
    }

    private static void save(Mlp net, Path file) {
        try {
            Checkpoint.of(net).save(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Backend figures identical from epoch 2 on; heap after GC within HEAP_SLACK of the warm-up's; the loss finite and falling. */
    private static void assertFlat(List<SoakRow> run) {
        SoakRow second = run.get(1), base = run.get(WARMUP - 1), last = run.get(run.size() - 1);
        for (SoakRow r : run.subList(1, run.size())) {
            assertTrue(r.sameBackendMemory(second), "backend memory moved after epoch 2:\n" + second.line() + "\n" + r.line());
        }
        long heapBase = run.subList(0, WARMUP).stream().mapToLong(SoakRow::heapUsed).max().orElseThrow();
        for (SoakRow r : run.subList(WARMUP, run.size())) {
            assertTrue(r.heapUsed() <= heapBase + HEAP_SLACK, "heap grew from " + heapBase + " to " + r.heapUsed()
                    + " bytes by epoch " + r.epoch() + ": " + base.line() + "\n" + r.line());
        }
        assertTrue(Double.isFinite(last.batchLoss()) && last.batchLoss() < run.get(0).batchLoss(), "the run learns: " + last.line());
    }

    /** Live CPU worker threads (RowParallel names them handnet-cpu-N). */
    private static long cpuWorkers() {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().startsWith("handnet-cpu-")).count();
    }
}
