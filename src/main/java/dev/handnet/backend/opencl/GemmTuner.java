package dev.handnet.backend.opencl;

import dev.handnet.backend.Precision;

import java.io.PrintWriter;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * {@code handnet tune}: builds each candidate {@link GemmConfig}, checks it against a float64
 * reference on every tuned class, times the products training runs in each class (the best of
 * a few runs, each waited for), and keeps the fastest candidate per class. A candidate that
 * fails to build, fails to run or disagrees with the reference is reported and never kept.
 */
public final class GemmTuner implements AutoCloseable {

    /** op(A): (m, k) times op(B): (k, n). */
    record Product(int m, int k, int n) {
        double flops() {
            return 2.0 * m * k * n;
        }
    }

    /** The products each tuned class is timed on: the tutorial (batch 1000) and modern (batch 32) presets' layers. */
    static final Map<GemmClass, List<Product>> TIMED = new EnumMap<>(Map.of(
            GemmClass.LARGE_NN, List.of(new Product(1000, 784, 100)),        // x W1
            GemmClass.LARGE_TN, List.of(new Product(784, 1000, 100)),        // dW1 = xᵀ dZ1
            GemmClass.LARGE_NT, List.of(new Product(1000, 100, 784)),        // dX = dZ1 W1ᵀ
            GemmClass.SMALL_NN, List.of(new Product(32, 784, 100), new Product(1000, 100, 10)),
            GemmClass.SMALL_TN, List.of(new Product(784, 32, 100), new Product(100, 1000, 10)),
            GemmClass.SMALL_NT, List.of(new Product(32, 100, 784), new Product(1000, 10, 100))));

    /** Odd shapes of each size class, checked (not timed) with alpha and beta: every edge of every tile is partial. */
    private static final Product SMALL_CHECK = new Product(33, 65, 17), LARGE_CHECK = new Product(1001, 129, 67);

    private static final long SEED = 7;

    private final OpenClBackend be;
    private final ClRuntime rt;
    private final PrintWriter out;
    private final int reps;
    private final double tolerance;
    private final Map<GemmClass, List<GemmCase>> timed = new EnumMap<>(GemmClass.class);
    private final Map<GemmClass, GemmCase> checked = new EnumMap<>(GemmClass.class);

    /** Opens device at precision with kernels from sources; reps: timed runs per product, the best kept. */
    public GemmTuner(DeviceInfo device, Precision precision, KernelSources sources, PrintWriter out, int reps) {
        this.be = new OpenClBackend(device, precision, sources);
        this.rt = be.runtime();
        this.out = out;
        this.reps = reps;
        // the backend contract's GEMM tolerances, relative to sum_p |a_ip b_pj|
        this.tolerance = precision == Precision.FLOAT64 ? 1e-13 : 1e-5;
        Random random = new Random(SEED);
        TIMED.forEach((shape, products) -> {
            timed.put(shape, products.stream().map(p -> new GemmCase(be, shape, p, 1, 0, random)).toList());
            checked.put(shape, new GemmCase(be, shape, shape.small() ? SMALL_CHECK : LARGE_CHECK, 0.75, 0.5, random));
        });
    }

    /** The candidates of the full grid, or of --quick's, that device runs at precision, its defaults first. */
    public static List<GemmConfig> candidates(DeviceInfo device, Precision precision, boolean quick) {
        return (quick ? GemmGrid.QUICK : GemmGrid.FULL).candidates(device, precision == Precision.FLOAT64 ? Double.BYTES : Float.BYTES);
    }

    /**
     * Tries candidates in order until budgetSeconds have passed (the first is always tried),
     * printing a line for each; returns the fastest correct candidate of each class.
     */
    public List<TuningCache.Entry> tune(List<GemmConfig> candidates, double budgetSeconds) {
        long start = System.nanoTime();
        Map<GemmClass, Double> best = new EnumMap<>(GemmClass.class);
        Map<GemmClass, GemmConfig> winner = new EnumMap<>(GemmClass.class);
        int tried = 0;
        for (GemmConfig c : candidates) {
            double elapsed = (System.nanoTime() - start) / 1e9;
            if (tried > 0 && elapsed >= budgetSeconds) {
                out.printf(Locale.ROOT, "time budget of %.0f s spent after %d of %d candidates%n", budgetSeconds, tried, candidates.size());
                break;
            }
            tried++;
            out.printf(Locale.ROOT, "[%d/%d %3.0f s] %s ", tried, candidates.size(), elapsed, c);
            Map<GemmClass, Double> gflops = measure(c);
            for (Map.Entry<GemmClass, Double> g : gflops.entrySet()) {
                boolean better = g.getValue() > best.getOrDefault(g.getKey(), 0.0);
                if (better) {
                    best.put(g.getKey(), g.getValue());
                    winner.put(g.getKey(), c);
                }
                out.printf(Locale.ROOT, " %s %.1f%s", g.getKey().key(), g.getValue(), better ? "*" : "");
            }
            out.println(gflops.isEmpty() ? "" : "  GFLOP/s (* best so far)");
            out.flush();
        }
        String date = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
        List<TuningCache.Entry> entries = new ArrayList<>();
        winner.forEach((shape, c) -> entries.add(new TuningCache.Entry(rt.device.name(), rt.device.driver(),
                rt.precision.name(), shape.key(), c, best.get(shape), date)));
        return entries;
    }

    /** GFLOP/s per class of candidate c; none (and a line saying why) when it fails to build, run or agree. */
    private Map<GemmClass, Double> measure(GemmConfig c) {
        GemmProgram p;
        try {
            p = new GemmProgram(rt, c);
        } catch (RuntimeException e) {
            out.print("skipped: it does not build: " + e.getMessage().lines().findFirst().orElse(""));
            return Map.of();
        }
        try {
            if (!p.config().equals(c)) {
                out.print("skipped: the device runs it only with smaller work-groups");
                return Map.of();
            }
            for (GemmClass shape : TIMED.keySet()) {
                for (GemmCase g : all(shape)) {
                    String wrong = g.check(p, tolerance);
                    if (wrong != null) {
                        out.print("skipped: it disagrees with the reference on " + g + ": " + wrong);
                        return Map.of();
                    }
                }
            }
            Map<GemmClass, Double> gflops = new LinkedHashMap<>();
            for (GemmClass shape : TIMED.keySet()) {
                double flops = 0, seconds = 0;
                for (GemmCase g : timed.get(shape)) {
                    flops += g.product().flops();
                    seconds += g.seconds(p, reps);
                }
                gflops.put(shape, flops / seconds / 1e9);
            }
            return gflops;
        } catch (RuntimeException e) {
            out.print("skipped: it fails to run: " + e.getMessage());
            return Map.of();
        } finally {
            p.release();
        }
    }

    private List<GemmCase> all(GemmClass shape) {
        List<GemmCase> cases = new ArrayList<>(timed.get(shape));
        cases.add(checked.get(shape));
        return cases;
    }

    @Override
    public void close() {
        be.close();
    }
}
