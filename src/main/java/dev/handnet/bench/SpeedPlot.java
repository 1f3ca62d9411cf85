package dev.handnet.bench;

import dev.handnet.bench.BenchReport.Device;
import dev.handnet.bench.BenchReport.GemmRow;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.XYStyler;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.awt.Color;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * GEMM GFLOP/s against square size n (n x n times n x n, the sweep rows) on a log2 axis: a series
 * per handnet device, one per device of each peer file, and the CPU's peak as a dashed line.
 */
public final class SpeedPlot {

    /** Pixels: readable at 800 wide, as a README or a pull request shows it. */
    private static final int WIDTH = 800, HEIGHT = 560;

    /** Pixels between x ticks at the least: wide enough that XChart steps by whole powers of two. */
    private static final int X_TICK_SPACING = 90;

    private SpeedPlot() {
    }

    /** Draws handnet's results and the peers' into a PNG at path. */
    public static void write(BenchReport handnet, List<BenchReport> peers, Path path) {
        try {
            BitmapEncoder.saveBitmap(chart(handnet, peers), path.toString(), BitmapEncoder.BitmapFormat.PNG);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + path + ": " + e.getMessage(), e);
        }
    }

    /** The chart of handnet's sweep rows, the peers', and the peak. */
    static XYChart chart(BenchReport handnet, List<BenchReport> peers) {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT)
                .title("float32 GEMM, n x n times n x n" + (handnet.machine() != null ? ", on " + handnet.machine().cpu()
                        + " (" + handnet.machine().cores() + " cores)" : ""))
                .xAxisTitle("n (log2 scale)").yAxisTitle("GFLOP/s (2 n^3 / seconds)").build();
        style(chart);
        for (Device d : handnet.devices()) {
            add(chart, "handnet " + d.device() + (d.platform() != null ? " (" + d.platform() + ")" : ""), handnet.gemm(), d.device());
        }
        for (BenchReport peer : peers) {
            peer.gemm().stream().map(GemmRow::device).distinct()
                    .forEach(device -> add(chart, label(peer) + (device.equals("cpu") ? "" : " " + device), peer.gemm(), device));
        }
        if (chart.getSeriesMap().isEmpty()) throw new IllegalArgumentException("--plot: no square-size sweep rows to draw");
        if (handnet.machine() != null && handnet.machine().clockGhz() != null) addPeak(chart, handnet.machine().peak());
        return chart;
    }

    /** The peer's tool; numpy's speed is its BLAS's, so a numpy series names the BLAS too ("numpy / openblas 0.3.21"). */
    static String label(BenchReport peer) {
        Map<String, Object> versions = peer.versions() != null ? peer.versions() : Map.of();
        Object blas = versions.get("blas");
        return peer.tool() + (peer.tool().equals("numpy") && blas != null ? " / " + blas : "");
    }

    /** A series of the device's sweep rows, by n; nothing when it has none. */
    private static void add(XYChart chart, String name, List<GemmRow> rows, String device) {
        List<GemmRow> sweep = rows.stream().filter(r -> r.sweep() && Objects.equals(r.device(), device))
                .sorted((a, b) -> Integer.compare(a.m(), b.m())).toList();
        if (sweep.isEmpty()) return;
        double[] x = sweep.stream().mapToDouble(r -> log2(r.m())).toArray();
        double[] y = sweep.stream().mapToDouble(GemmRow::gflops).toArray();
        String unique = name;  // XChart needs distinct names: two runs of one peer become "numpy", "numpy #2"
        for (int i = 2; chart.getSeriesMap().containsKey(unique); i++) unique = name + " #" + i;
        chart.addSeries(unique, x, y).setMarker(SeriesMarkers.CIRCLE);
    }

    /** A dashed horizontal line at the CPU's peak across the plotted sizes, named by its formula. */
    private static void addPeak(XYChart chart, MachinePeak peak) {
        double lo = chart.getSeriesMap().values().stream().mapToDouble(XYSeries::getXMin).min().orElseThrow();
        double hi = chart.getSeriesMap().values().stream().mapToDouble(XYSeries::getXMax).max().orElseThrow();
        XYSeries s = chart.addSeries("CPU peak: " + peak.formula(), new double[] {lo, hi}, new double[] {peak.gflops(), peak.gflops()});
        s.setMarker(SeriesMarkers.NONE);
        s.setLineStyle(SeriesLines.DASH_DASH);
        s.setLineColor(Color.GRAY);
    }

    /** White, the legend under the plot (clear of the lines), y from 0, x ticks at the powers of two. */
    private static void style(XYChart chart) {
        XYStyler st = chart.getStyler();
        st.setChartBackgroundColor(Color.WHITE);
        st.setLegendPosition(Styler.LegendPosition.OutsideS);
        st.setYAxisMin(0.0);
        st.setXAxisTickMarkSpacingHint(X_TICK_SPACING);
        chart.setCustomXAxisTickLabelsFormatter(x -> String.valueOf(Math.round(Math.pow(2, x))));
    }

    private static double log2(int n) {
        return Math.log(n) / Math.log(2);
    }
}
