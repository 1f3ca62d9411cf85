package dev.handnet.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

/**
 * One run of {@code handnet bench} as its JSON file holds it, keys in snake_case. The peer scripts
 * (numpy, PyTorch) write the same schema with their own "tool", and are compared by
 * (m, k, n, trans_a, trans_b) and by preset; fields a peer may leave out are boxed (null: absent).
 */
public record BenchReport(String tool, String date, Machine machine, Map<String, Object> versions, List<Device> devices,
                          List<GemmRow> gemm, List<OpRow> ops, List<EpochRow> epochs) {

    /** A list a file leaves out reads as empty. */
    public BenchReport {
        devices = devices != null ? devices : List.of();
        gemm = gemm != null ? gemm : List.of();
        ops = ops != null ? ops : List.of();
        epochs = epochs != null ? epochs : List.of();
    }

    /** The "tool" handnet writes. */
    public static final String TOOL = "handnet";

    /**
     * The CPU and its peak (see {@link MachinePeak}); fmaGflopsOneCore is the measured one-thread
     * vector FMA rate the FMA units come from (absent without the Vector API).
     */
    public record Machine(String cpu, Integer cores, Double clockGhz, Integer simdLanes, Double fmaUnits,
                          Double fmaGflopsOneCore, Double peakGflops, String jvm, String os) {

        /** The peak these figures multiply out to. */
        public MachinePeak peak() {
            return new MachinePeak(cores, clockGhz, simdLanes, fmaUnits, fmaGflopsOneCore != null ? fmaGflopsOneCore : Double.NaN);
        }

        /** This machine, with the given peak. */
        public static Machine of(MachinePeak peak) {
            return new Machine(cpuModel(), peak.cores(), peak.clockGhz(), peak.lanes(), peak.fmaUnits(),
                    Double.isNaN(peak.fmaGflops()) ? null : peak.fmaGflops(), peak.gflops(),
                    System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"),
                    System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"));
        }

        /** /proc/cpuinfo's "model name", else the architecture. */
        private static String cpuModel() {
            try (var lines = Files.lines(Path.of("/proc/cpuinfo"))) {
                return lines.filter(l -> l.startsWith("model name")).map(l -> l.substring(l.indexOf(':') + 1).strip())
                        .findFirst().orElse(System.getProperty("os.arch"));
            } catch (IOException | UncheckedIOException e) {
                return System.getProperty("os.arch");
            }
        }
    }

    /**
     * A measured backend: its spec ("cpu", "opencl:0:0"), name, and for OpenCL the platform,
     * driver version and the GEMM parameters each shape class ran with (tuned or default).
     */
    public record Device(String device, String name, String platform, String driver, String gemmConfig) {
    }

    /**
     * C = op(A) op(B), op(A): (m, k), op(B): (k, n); gflops = 2 m k n / seconds; sweep: one of the
     * square sizes the plot draws; peakFraction: of the CPU's peak, for the CPU backend only.
     */
    public record GemmRow(String device, int m, int k, int n, boolean transA, boolean transB, boolean sweep,
                          double seconds, double gflops, Double peakFraction) {

        /** The product this row timed. */
        public GemmShape shape() {
            return new GemmShape(m, k, n, transA, transB, sweep);
        }
    }

    /** One Backend op on (rows, cols) operands; gbps = bytes read and written / seconds / 1e9. */
    public record OpRow(String device, String op, int rows, int cols, long bytes, double seconds, double gbps) {
    }

    /**
     * One training epoch of a preset without evaluation: steps batches of batch rows, rows in all;
     * transfersPerStep: host round trips per step, for OpenCL only.
     */
    public record EpochRow(String device, String preset, int batch, int steps, int rows, double seconds,
                           Double transfersPerStep) {
    }

    /** Now, in UTC to the second, as the schema writes it: 2026-11-23T16:05:00Z. */
    public static String now() {
        return Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
    }

    /** A report of these devices' results, "tool" handnet. */
    public static BenchReport of(String date, Machine machine, Map<String, Object> versions, List<DeviceResults> results) {
        return new BenchReport(TOOL, date, machine, versions, results.stream().map(DeviceResults::device).toList(),
                results.stream().flatMap(r -> r.gemm().stream()).toList(),
                results.stream().flatMap(r -> r.ops().stream()).toList(),
                results.stream().flatMap(r -> r.epochs().stream()).toList());
    }

    /** The results of each device, in the order of {@link #devices}. */
    public List<DeviceResults> byDevice() {
        return devices.stream().map(d -> new DeviceResults(d,
                gemm.stream().filter(r -> r.device().equals(d.device())).toList(),
                ops.stream().filter(r -> r.device().equals(d.device())).toList(),
                epochs.stream().filter(r -> r.device().equals(d.device())).toList())).toList();
    }

    /** What one device measured. */
    public record DeviceResults(Device device, List<GemmRow> gemm, List<OpRow> ops, List<EpochRow> epochs) {
    }
}
