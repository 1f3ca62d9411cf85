package dev.handnet.bench;

import dev.handnet.backend.Backend;
import dev.handnet.backend.Matrix;
import dev.handnet.bench.BenchReport.GemmRow;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** GFLOP/s of Backend.gemm(transA, transB, 1, A, B, 0, C) for each {@link GemmShape}. */
final class GemmBench {

    /** Fixed operands: the timing does not depend on the values, but reruns should see the same ones. */
    private static final long SEED = 1;

    private GemmBench() {
    }

    /** Shapes up to this many FLOPs (all training products, not 2048^3) take part in the untimed JIT pass. */
    private static final double WARM_UP_MAX_FLOPS = 1e10;

    /**
     * One row per shape; peakGflops (null for a device other than the CPU) gives each row's fraction
     * of it. A sweep size that is also a named shape (1024, 2048) is timed once for both rows.
     */
    static List<GemmRow> run(Backend be, String device, List<GemmShape> shapes, BestOf timer, Double peakGflops) {
        Random random = new Random(SEED);
        // An untimed pass first: while the JIT was still compiling the GEMM kernels, the first
        // shape measured ran at 60% of the speed it had once the others had run.
        BestOf once = new BestOf(1, timer.warmupSeconds(), 0);
        for (GemmShape s : shapes) {
            if (!s.sweep() && s.flops() < WARM_UP_MAX_FLOPS) seconds(be, s, once, random);
        }
        Map<GemmShape, Double> timed = new HashMap<>();
        List<GemmRow> rows = new ArrayList<>();
        for (GemmShape s : shapes) {
            double seconds = timed.computeIfAbsent(new GemmShape(s.m(), s.k(), s.n(), s.transA(), s.transB(), false),
                    product -> seconds(be, product, timer, random));
            double gflops = s.flops() / seconds / 1e9;
            rows.add(new GemmRow(device, s.m(), s.k(), s.n(), s.transA(), s.transB(), s.sweep(), seconds, gflops,
                    peakGflops != null ? gflops / peakGflops : null));
        }
        return rows;
    }

    /** Seconds per call of the product on random operands. */
    private static double seconds(Backend be, GemmShape s, BestOf timer, Random random) {
        Matrix[] ab = s.operands(be, random);
        try (Matrix a = ab[0]; Matrix b = ab[1]; Matrix c = be.allocate(s.m(), s.n())) {
            return timer.seconds(be, () -> be.gemm(s.transA(), s.transB(), 1, a, b, 0, c));
        }
    }

    /** A (rows, cols) matrix of uniform values in [-1, 1). */
    static Matrix random(Backend be, int rows, int cols, Random random) {
        float[] data = new float[rows * cols];
        for (int i = 0; i < data.length; i++) data[i] = 2 * random.nextFloat() - 1;
        return be.upload(rows, cols, data);
    }
}
