package dev.handnet.bench;

import dev.handnet.bench.BenchReport.DeviceResults;
import dev.handnet.bench.BenchReport.EpochRow;
import dev.handnet.bench.BenchReport.GemmRow;
import dev.handnet.bench.BenchReport.Machine;
import dev.handnet.bench.BenchReport.OpRow;

import java.io.PrintWriter;
import java.util.Locale;

/** The bench results as aligned tables for people: the machine and its peak, then each device's GEMM, ops and epochs. */
public final class BenchTable {

    private BenchTable() {
    }

    /** The CPU, JVM, OS, the measured FMA rate and the peak formula. */
    public static void printMachine(PrintWriter out, Machine m, String date) {
        MachinePeak peak = m.peak();
        out.printf(Locale.ROOT, "machine  %s, %d cores; %s; %s; %s%n", m.cpu(), m.cores(), m.jvm(), m.os(), date);
        if (!Double.isNaN(peak.fmaGflops())) {
            out.printf(Locale.ROOT, "fma      %.1f GFLOP/s on one thread = %.2f FMA/cycle of %d lanes at %.2f GHz%n",
                    peak.fmaGflops(), peak.fmaGflops() / (2 * peak.lanes() * peak.clockGhz()), peak.lanes(), peak.clockGhz());
        }
        out.printf(Locale.ROOT, "peak     %s%n", peak.formula());
    }

    /** One device's tables. */
    public static void printDevice(PrintWriter out, DeviceResults r) {
        out.printf(Locale.ROOT, "%n== %s%s%n", r.device().name(),
                r.device().driver() != null ? ", driver " + r.device().driver() : "");
        if (r.device().gemmConfig() != null) {
            for (String c : r.device().gemmConfig().split("; ")) out.printf(Locale.ROOT, "gemm %s%n", c);
        }
        out.printf(Locale.ROOT, "%-24s %-7s %10s %7s %10s%n", "gemm m x k x n", "op", "GFLOP/s", "% peak", "ms");
        for (GemmRow g : r.gemm()) {
            out.printf(Locale.ROOT, "%-24s %-7s %10.1f %7s %10.3f%n", (g.sweep() ? "sweep " : "") + g.m() + " x " + g.k() + " x " + g.n(),
                    g.shape().product(), g.gflops(),
                    g.peakFraction() != null ? String.format(Locale.ROOT, "%.1f%%", 100 * g.peakFraction()) : "", 1e3 * g.seconds());
        }
        out.printf(Locale.ROOT, "%n%-28s %-11s %12s %8s %10s%n", "op", "rows x cols", "bytes", "GB/s", "us");
        for (OpRow o : r.ops()) {
            out.printf(Locale.ROOT, "%-28s %-11s %12d %8.2f %10.2f%n", o.op(), o.rows() + " x " + o.cols(), o.bytes(), o.gbps(),
                    1e6 * o.seconds());
        }
        out.printf(Locale.ROOT, "%n%-10s %6s %6s %7s %10s %15s%n", "epoch", "batch", "steps", "rows", "ms/epoch", "transfers/step");
        for (EpochRow e : r.epochs()) {
            out.printf(Locale.ROOT, "%-10s %6d %6d %7d %10.1f %15s%n", e.preset(), e.batch(), e.steps(), e.rows(), 1e3 * e.seconds(),
                    e.transfersPerStep() != null ? String.format(Locale.ROOT, "%.2f", e.transfersPerStep()) : "");
        }
    }
}
