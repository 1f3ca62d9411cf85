package dev.handnet.backend.opencl;

import dev.handnet.backend.Matrix;
import dev.handnet.backend.ParityCheck;
import dev.handnet.backend.Precision;
import dev.handnet.tck.Reference;
import dev.handnet.backend.cpu.CpuBackend;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Every kernel of kernels/*.cl on small and awkward shapes, each result checked against the CPU:
 * the workload scripts/oclgrind-check runs under oclgrind, which checks every launch for
 * out-of-bounds accesses, data races and uninitialised reads. Small, since oclgrind interprets
 * each work-item. Every backend op through {@link ParityCheck} (the backend's own GEMM
 * configurations), then gemm.cl's four kernels built with configurations that cover each
 * parameter's code paths, over odd shapes, with beta 0 over a C of NaN and beta 0.5.
 * <p>
 * {@code KernelSweep [opencl:P:D] [float32|float64]}: the device ($HANDNET_TEST_OPENCL or the
 * best one), one precision or both; prints what it checked and exits 1 when a result is wrong.
 */
public final class KernelSweep {

    /** Ops' (rows, cols): one element; 561 (past a multiple of 64, longer than a reduction work-group); 300 rows (more than one). */
    static final int[][] SHAPES = {{1, 1}, {17, 33}, {300, 2}};

    /** GEMM's (m, k, n) through the backend. */
    static final int[][] BACKEND_GEMM = {{1, 1, 1}, {17, 33, 5}, {4, 0, 3}};

    /**
     * gemm.cl's code paths: vector widths 1, 2, 4, 8 and 16; op(A), op(B), both or neither staged;
     * groups along m, n and both, up to 256 items; unrolled by 1 to 16; KWG 8 to 32. The first
     * four are GemmConfig's defaults (CPU large, CPU small with B staged as for transposed B, GPU
     * large and small). float64 builds the first, second, fourth and fifth.
     */
    static final List<GemmConfig> CONFIGS = List.of(
            new GemmConfig(64, 32, 16, 8, 1, 16, false, false, 4),
            new GemmConfig(16, 32, 16, 1, 1, 16, false, true, 4),
            new GemmConfig(64, 64, 16, 16, 16, 4, true, true, 4),
            new GemmConfig(32, 32, 16, 8, 8, 4, true, true, 4),
            new GemmConfig(16, 64, 32, 2, 8, 8, true, false, 1),
            new GemmConfig(16, 16, 16, 4, 4, 1, true, true, 16),
            new GemmConfig(8, 16, 8, 1, 2, 2, false, false, 2),
            new GemmConfig(32, 32, 8, 4, 4, 8, false, false, 8));

    /**
     * A configuration's (m, k, n): 1 x 1 x 1, and one past a tile each way, so that C has a whole
     * tile (the unchecked, unrolled path) and partial ones in m and n, k a whole and a partial
     * tile, and the last vector of each row of C its masked tail.
     */
    static int[][] gemmShapes(GemmConfig c) {
        return new int[][] {{1, 1, 1}, {c.mwg() + 1, c.kwg() + 1, c.nwg() + 1}};
    }

    private KernelSweep() {
    }

    public static void main(String[] args) {
        String spec = args.length > 0 && OpenClDevices.isSpec(args[0]) ? args[0] : System.getenv("HANDNET_TEST_OPENCL");
        List<DeviceInfo> devices = OpenClDevices.list();
        DeviceInfo device = spec != null && OpenClDevices.isSpec(spec) ? OpenClDevices.select(devices, spec) : OpenClDevices.best(devices);
        List<Precision> precisions = new ArrayList<>();
        for (Precision p : new Precision[] {Precision.FLOAT32, Precision.FLOAT64}) {
            if (args.length < 2 || args[1].equalsIgnoreCase(p.name())) precisions.add(p);
        }
        List<String> failures = new ArrayList<>();
        for (Precision p : precisions) {
            if (p == Precision.FLOAT64 && !device.float64()) {
                failures.add(device.describe() + " has no float64");
                continue;
            }
            failures.addAll(run(device, p));
        }
        failures.forEach(f -> System.out.println("WRONG " + f));
        System.out.println("KernelSweep: " + (failures.isEmpty() ? "every result right" : failures.size() + " wrong"));
        System.exit(failures.isEmpty() ? 0 : 1);
    }

    /** Runs the sweep in one precision; returns what came out wrong (empty when all is right). */
    static List<String> run(DeviceInfo device, Precision precision) {
        return run(device, precision, precision == Precision.FLOAT64
                ? List.of(CONFIGS.get(0), CONFIGS.get(1), CONFIGS.get(3), CONFIGS.get(4)) : CONFIGS);
    }

    static List<String> run(DeviceInfo device, Precision precision, List<GemmConfig> configs) {
        List<String> wrong = new ArrayList<>();
        String p = precision.name().toLowerCase(Locale.ROOT);
        try (OpenClBackend be = new OpenClBackend(device, precision);
             CpuBackend cpu = new CpuBackend(precision, 1)) {
            long start = System.nanoTime();
            List<ParityCheck.Row> rows = ParityCheck.run(be, cpu, 1, BACKEND_GEMM, SHAPES);
            for (ParityCheck.Row r : rows) {
                if (!r.pass()) wrong.add(String.format(Locale.ROOT, "%s %s %s: off by %.3g relative", p, r.op(), r.shape(), r.maxRel()));
            }
            System.out.printf(Locale.ROOT, "%s: %d ops on %s (%.1f s)%n", p, rows.size(), be.name(), (System.nanoTime() - start) / 1e9);
            Random random = new Random(7);
            double tolerance = precision == Precision.FLOAT64 ? 1e-13 : 1e-5;
            for (int ci = 0; ci < configs.size(); ci++) {
                long built = System.nanoTime();
                GemmProgram program = new GemmProgram(be.runtime(), configs.get(ci));
                int[][] shapes = gemmShapes(program.config());
                for (int s = 0; s < shapes.length; s++) {
                    for (int t = 0; t < 4; t++) {
                        // beta 0 (over a C of NaN) and 0.5 alternate, so each kernel meets both on each shape
                        double beta = (ci + s + t) % 2 == 0 ? 0 : 0.5;
                        int[] d = shapes[s];
                        String error = gemm(be, program, d[0], d[1], d[2], (t & 1) != 0, (t & 2) != 0, beta, random, tolerance);
                        if (error != null) wrong.add(p + " " + error);
                    }
                }
                program.release();
                System.out.printf(Locale.ROOT, "%s: gemm_nn, _tn, _nt, _tt on 1x1x1 and %dx%dx%d with %s (%.1f s)%n", p,
                        shapes[1][0], shapes[1][1], shapes[1][2], program.config(), (System.nanoTime() - built) / 1e9);
            }
        }
        return wrong;
    }

    /** One product against the float64 reference; what is wrong, or null. GemmKernelTest checks with it too. */
    static String gemm(OpenClBackend be, GemmProgram program, int m, int k, int n, boolean ta, boolean tb, double beta,
                               Random random, double tolerance) {
        double[] a = GemmCase.uniform(m * k, random), b = GemmCase.uniform(k * n, random);
        double[] c = beta == 0 ? GemmCase.nan(m * n) : GemmCase.uniform(m * n, random);
        double alpha = 0.75;
        try (Matrix ma = ta ? be.upload(k, m, Reference.transpose(a, m, k)) : be.upload(m, k, a);
             Matrix mb = tb ? be.upload(n, k, Reference.transpose(b, k, n)) : be.upload(k, n, b);
             Matrix mc = be.upload(m, n, c)) {
            program.run(ta, tb, alpha, (ClMatrix) ma, (ClMatrix) mb, beta, (ClMatrix) mc);
            double[] expected = Reference.gemm(false, false, alpha, a, b, beta, c, m, k, n);
            double[] scale = Reference.gemmMagnitude(false, false, alpha, a, b, beta, c, m, k, n);
            double[] got = be.downloadDoubles(mc);
            for (int i = 0; i < got.length; i++) {
                double allowed = tolerance * scale[i] + 1e-30;
                if (!(Math.abs(got[i] - expected[i]) <= allowed)) {
                    return String.format(Locale.ROOT, "%s %d x %d x %d transA %b transB %b beta %s: c[%d] = %s, expected %s",
                            program.config(), m, k, n, ta, tb, beta, i, got[i], expected[i]);
                }
            }
        }
        return null;
    }
}
