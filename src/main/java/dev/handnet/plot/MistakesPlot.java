package dev.handnet.plot;

import dev.handnet.data.Dataset;
import dev.handnet.nn.ClassificationReport;
import dev.handnet.nn.ClassificationReport.Mistake;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * A grid of misclassified test images, the most confident mistakes first, each enlarged (dark
 * ink on white) with "true 5 → 6" under it, then the model's probability for the
 * predicted class and the row in the test set that evaluate's table names.
 */
public final class MistakesPlot {

    /** How many mistakes the grid shows at most, by default. */
    public static final int DEFAULT_COUNT = 32;

    private static final int COLUMNS = 8, CELL_WIDTH = Png.WIDTH / COLUMNS, LABELS = 62, TOP = 84, BOTTOM = 12;

    private MistakesPlot() {
    }

    /** Draws the report's first count mistakes, images from test, into a PNG at file. */
    public static void write(ClassificationReport report, Dataset test, int count, Path file) {
        Png.write(image(report, test, count), file);
    }

    static BufferedImage image(ClassificationReport report, Dataset test, int count) {
        int side = (int) Math.round(Math.sqrt(test.features()));
        if (side * side != test.features()) {
            throw new IllegalArgumentException(test.name() + ": " + test.features()
                    + " features per row, expected a square image (784 = 28 x 28) to draw the mistakes");
        }
        List<Mistake> shown = report.mistakes().subList(0, Math.min(count, report.mistakes().size()));
        for (Mistake m : shown) {
            if (m.row() >= test.rows()) {
                throw new IllegalArgumentException("mistake at row " + m.row() + " but " + test.name() + " has " + test.rows() + " rows");
            }
        }
        int scale = Math.max(1, (CELL_WIDTH - 16) / side), cellHeight = side * scale + LABELS;
        int rows = (shown.size() + COLUMNS - 1) / COLUMNS;
        BufferedImage image = Png.canvas(Png.WIDTH, TOP + Math.max(1, rows) * cellHeight + BOTTOM);
        Graphics2D g = Png.graphics(image);
        title(g, report, shown.size());
        for (int i = 0; i < shown.size(); i++) {
            int x = (i % COLUMNS) * CELL_WIDTH, y = TOP + (i / COLUMNS) * cellHeight;
            digit(image, test, shown.get(i).row(), side, scale, x + (CELL_WIDTH - side * scale) / 2, y);
            label(g, shown.get(i), x + CELL_WIDTH / 2.0, y + side * scale);
        }
        g.dispose();
        return image;
    }

    private static void title(Graphics2D g, ClassificationReport report, int shown) {
        g.setColor(Png.INK);
        g.setFont(Png.font(Font.BOLD, 19));
        String title = report.mistakes().isEmpty() ? "No mistakes on " + report.rows() + " test rows"
                : String.format(Locale.ROOT, "The %d most confident mistakes, of %d on %d test rows", shown,
                report.mistakes().size(), report.rows());
        Png.centred(g, title, Png.WIDTH / 2.0, 34);
        g.setColor(Png.MUTED);
        g.setFont(Png.font(Font.PLAIN, 14));
        Png.centred(g, "true class \u2192 predicted class; the model's probability for it, and the row in the test set",
                Png.WIDTH / 2.0, 60);
    }

    /** The row's pixels (0 white .. 1 black), each a scale x scale block, framed in grey. */
    private static void digit(BufferedImage image, Dataset test, int row, int side, int scale, int x0, int y0) {
        float[] x = test.x();
        int offset = row * test.features();
        for (int r = 0; r < side; r++) {
            for (int c = 0; c < side; c++) {
                float v = Math.max(0f, Math.min(1f, x[offset + r * side + c]));
                int grey = Math.round(255 * (1 - v));
                int rgb = grey << 16 | grey << 8 | grey;
                for (int dy = 0; dy < scale; dy++) {
                    for (int dx = 0; dx < scale; dx++) image.setRGB(x0 + c * scale + dx, y0 + r * scale + dy, rgb);
                }
            }
        }
        Graphics2D g = image.createGraphics();
        g.setColor(new Color(0xcccccc));
        g.drawRect(x0 - 1, y0 - 1, side * scale + 1, side * scale + 1);
        g.dispose();
    }

    /** "true 5 → 6" and, smaller, "p = 99.9%" and "row 1234", centred under the image. */
    private static void label(Graphics2D g, Mistake m, double x, int top) {
        g.setColor(Png.INK);
        g.setFont(Png.font(Font.PLAIN, 14));
        Png.centred(g, "true " + m.truth() + " \u2192 " + m.predicted(), x, top + 18);
        g.setColor(Png.MUTED);
        g.setFont(Png.font(Font.PLAIN, 12));
        // Rounded down: 0.9996 is "99.9%", as a "100%" would claim a certainty the model did not have.
        Png.centred(g, String.format(Locale.ROOT, "p = %.1f%%", Math.floor(1000 * m.pPredicted()) / 10), x, top + 34);
        g.setFont(Png.font(Font.PLAIN, 11));
        Png.centred(g, "row " + m.row(), x, top + 49);
    }
}
