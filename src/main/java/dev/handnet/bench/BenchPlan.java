package dev.handnet.bench;

import dev.handnet.backend.Backend;
import dev.handnet.backend.opencl.DeviceInfo;
import dev.handnet.backend.opencl.OpenClBackend;
import dev.handnet.bench.BenchReport.Device;
import dev.handnet.bench.BenchReport.DeviceResults;
import dev.handnet.data.Dataset;
import dev.handnet.nn.Preset;

import java.util.Arrays;

/**
 * What {@code handnet bench} measures on each backend: GEMM at every {@link GemmShape}, every op
 * of {@link OpBench}, and a training epoch of each preset on train. quick: CI's run, a minute
 * or less for the CPU and PoCL together, whose figures are rougher.
 */
public record BenchPlan(boolean quick, BestOf timer, Dataset train, int timedEpochs) {

    /** Timed batches per measurement: the best of 10, or of 3 with --quick. */
    private static final int REPS = 10, QUICK_REPS = 3;

    /** Seconds of warm-up, and the time box after which fewer than reps batches are timed, per GEMM shape and per op and size. */
    private static final double WARMUP_SECONDS = 0.2, BUDGET_SECONDS = 1.0, QUICK_WARMUP_SECONDS = 0.05, QUICK_BUDGET_SECONDS = 0.2;

    /** --quick trains on the first 5000 MNIST rows: the modern preset's epoch is then 157 steps, not 1875. */
    private static final int QUICK_ROWS = 5000;

    /** Timed epochs after the warm-up one. */
    private static final int EPOCHS = 3, QUICK_EPOCHS = 1;

    /** The plan for --quick or a full run; reps (null: the default) overrides the timed batches. */
    public static BenchPlan of(boolean quick, Integer reps, Dataset mnistTrain) {
        int r = reps != null ? reps : quick ? QUICK_REPS : REPS;
        BestOf timer = quick ? new BestOf(r, QUICK_WARMUP_SECONDS, QUICK_BUDGET_SECONDS) : new BestOf(r, WARMUP_SECONDS, BUDGET_SECONDS);
        return new BenchPlan(quick, timer, quick ? mnistTrain.head(QUICK_ROWS) : mnistTrain, quick ? QUICK_EPOCHS : EPOCHS);
    }

    /** All the figures for be; the CPU backend's GEMM rows also give their fraction of cpuPeakGflops. */
    public DeviceResults measure(Backend be, double cpuPeakGflops) {
        Device device = describe(be);
        Double peak = device.device().equals("cpu") ? cpuPeakGflops : null;
        return new DeviceResults(device,
                GemmBench.run(be, device.device(), GemmShape.all(quick), timer, peak),
                OpBench.run(be, device.device(), timer),
                Arrays.stream(Preset.values()).map(p -> EpochBench.run(be, device.device(), p, train, timedEpochs)).toList());
    }

    /** The spec that names be ("cpu", "opencl:0:0"), its name, and for OpenCL its platform, driver and GEMM parameters. */
    public static Device describe(Backend be) {
        if (!(be instanceof OpenClBackend ocl)) return new Device("cpu", be.name(), null, null, null);
        DeviceInfo d = ocl.device();
        return new Device(d.spec(), be.name(), d.platformName(), d.driver(), ocl.gemmConfig());
    }
}
