package dev.handnet.plot;

import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.XYStyler;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import java.util.stream.DoubleStream;

/**
 * Loss and accuracy against epoch of one or more training runs, train and test, from their
 * metrics CSV files: two charts stacked in one PNG, loss (log scale) above accuracy (%). Each
 * run has its colour; train is dashed, test solid. With one run, train and test get two colours.
 */
public final class Curves {

    /** Pixels of each of the two charts. */
    static final int CHART_HEIGHT = 430;

    private static final BasicStroke SOLID = new BasicStroke(2.2f);
    private static final BasicStroke DASHED = new BasicStroke(2.2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 10f,
            new float[] {7f, 5f}, 0f);

    private Curves() {
    }

    /** Draws the runs' curves into a PNG at file: WIDTH wide, 2 CHART_HEIGHT high (more for many runs). */
    public static void write(List<MetricsCsv> runs, Path file) {
        Png.write(image(runs), file);
    }

    /** The loss chart above the accuracy chart. */
    static BufferedImage image(List<MetricsCsv> runs) {
        List<XYChart> charts = charts(runs);
        BufferedImage image = Png.canvas(Png.WIDTH, charts.stream().mapToInt(XYChart::getHeight).sum());
        Graphics2D g = Png.graphics(image);
        for (XYChart chart : charts) {
            chart.paint(g, Png.WIDTH, chart.getHeight());
            g.translate(0, chart.getHeight());
        }
        g.dispose();
        return image;
    }

    /** The two charts: loss, then accuracy; a series per run and split, named "train", "test" or "RUN train", ... */
    static List<XYChart> charts(List<MetricsCsv> runs) {
        if (runs.isEmpty()) throw new IllegalArgumentException("no training runs to plot");
        String of = runs.size() == 1 ? ": " + runs.get(0).name() : "";
        boolean log = runs.stream().allMatch(r -> positive(r.trainLoss()) && positive(r.testLoss()));
        XYChart loss = chart("Loss per epoch" + of, log ? "loss (log scale)" : "loss", runs.size());
        loss.getStyler().setYAxisLogarithmic(log);
        if (log) fromDecade(loss, runs);
        XYChart accuracy = chart("Accuracy per epoch" + of, "accuracy (%)", runs.size());
        accuracy.getStyler().setYAxisDecimalPattern("0.#");
        for (int i = 0; i < runs.size(); i++) {
            MetricsCsv run = runs.get(i);
            String prefix = runs.size() == 1 ? "" : run.name() + " ";
            Color train = Png.PALETTE[runs.size() == 1 ? 0 : i % Png.PALETTE.length];
            Color test = Png.PALETTE[runs.size() == 1 ? 1 : i % Png.PALETTE.length];
            add(loss, prefix + "train", run.epoch(), run.trainLoss(), train, DASHED);
            add(loss, prefix + "test", run.epoch(), run.testLoss(), test, SOLID);
            add(accuracy, prefix + "train", run.epoch(), percent(run.trainAccuracy()), train, DASHED);
            add(accuracy, prefix + "test", run.epoch(), percent(run.testAccuracy()), test, SOLID);
        }
        return List.of(loss, accuracy);
    }

    /**
     * An empty chart with the plots' style: white, large type, whole epochs on x, the legend
     * below in a row for up to two runs, else in a column on the right (taller for many runs).
     */
    private static XYChart chart(String title, String yTitle, int runs) {
        boolean row = runs <= 2;
        XYChart chart = new XYChartBuilder().width(Png.WIDTH).height(row ? CHART_HEIGHT : Math.max(CHART_HEIGHT, 120 + 2 * runs * 24))
                .title(title).xAxisTitle("epoch").yAxisTitle(yTitle).build();
        XYStyler st = chart.getStyler();
        st.setChartBackgroundColor(Color.WHITE);
        st.setPlotBorderVisible(false);
        st.setChartTitleFont(Png.font(Font.BOLD, 17));
        st.setAxisTitleFont(Png.font(Font.PLAIN, 14));
        st.setAxisTickLabelsFont(Png.font(Font.PLAIN, 13));
        st.setLegendFont(Png.font(Font.PLAIN, 13));
        st.setLegendPosition(row ? Styler.LegendPosition.OutsideS : Styler.LegendPosition.OutsideE);
        st.setLegendLayout(row ? Styler.LegendLayout.Horizontal : Styler.LegendLayout.Vertical);
        st.setLegendBorderColor(Color.WHITE);
        st.setLegendPadding(row ? 14 : 8);
        st.setLegendSeriesLineLength(34);
        st.setMarkerSize(6);
        st.setXAxisTickMarkSpacingHint(60);
        Function<Double, String> wholeEpochs = x -> x == Math.rint(x) ? String.valueOf(Math.round(x)) : "";
        chart.setCustomXAxisTickLabelsFormatter(wholeEpochs);
        return chart;
    }

    private static void add(XYChart chart, String name, double[] x, double[] y, Color colour, BasicStroke line) {
        String unique = name;  // XChart needs distinct names: two runs of one name become "a test", "a test #2"
        for (int i = 2; chart.getSeriesMap().containsKey(unique); i++) unique = name + " #" + i;
        XYSeries s = chart.addSeries(unique, x, y);
        s.setLineColor(colour);
        s.setLineStyle(line);
        s.setMarker(SeriesMarkers.CIRCLE);
        s.setMarkerColor(colour);
    }

    /**
     * Starts the log axis at the power of ten at or below the smallest loss: XChart labels only
     * powers of ten, so the axis then has at least two labels, the other grid lines 2..9 times them.
     */
    private static void fromDecade(XYChart chart, List<MetricsCsv> runs) {
        double min = runs.stream().flatMapToDouble(r -> DoubleStream.concat(Arrays.stream(r.trainLoss()), Arrays.stream(r.testLoss())))
                .min().orElseThrow();
        double max = runs.stream().flatMapToDouble(r -> DoubleStream.concat(Arrays.stream(r.trainLoss()), Arrays.stream(r.testLoss())))
                .max().orElseThrow();
        chart.getStyler().setYAxisMin(Math.pow(10, Math.floor(Math.log10(min))));
        chart.getStyler().setYAxisMax(max * 1.15);
    }

    /** Whether every value is > 0: a log axis can show them. */
    private static boolean positive(double[] values) {
        return Arrays.stream(values).allMatch(v -> v > 0);
    }

    private static double[] percent(double[] fractions) {
        return Arrays.stream(fractions).map(f -> 100 * f).toArray();
    }
}
