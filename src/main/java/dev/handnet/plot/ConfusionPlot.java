package dev.handnet.plot;

import dev.handnet.nn.ClassificationReport;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The confusion matrix as a heat map, drawn with Java2D: a cell per (true, predicted) pair with
 * its count written in it. The diagonal (correct) is blue; off it, mistakes are red, darker the
 * more there are, scaled to the largest mistake count so that a few stand out beside thousands.
 */
public final class ConfusionPlot {

    /** Pixels: the title and legend above the grid, the class numbers and axis titles beside it. */
    private static final int TOP = 92, BOTTOM = 78, LEFT = 96, RIGHT = 36, MAX_CELL = 62;

    private static final Color CORRECT = new Color(0x1f5fa8), MISTAKE = new Color(0xc62828), ZERO = new Color(0xbbbbbb);

    private ConfusionPlot() {
    }

    /** Draws the report's confusion matrix into a PNG at file, WIDTH pixels wide. */
    public static void write(ClassificationReport report, Path file) {
        Png.write(image(report), file);
    }

    static BufferedImage image(ClassificationReport report) {
        int n = report.classes();
        if (n < 1) throw new IllegalArgumentException("a confusion matrix needs at least one class, got " + n);
        int cell = Math.min(MAX_CELL, (Png.WIDTH - LEFT - RIGHT) / n), grid = cell * n;
        int x0 = LEFT + (Png.WIDTH - LEFT - RIGHT - grid) / 2, y0 = TOP;
        BufferedImage image = Png.canvas(Png.WIDTH, TOP + grid + BOTTOM);
        Graphics2D g = Png.graphics(image);
        header(g, report);
        int maxMistakes = 1;
        for (int t = 0; t < n; t++) {
            for (int p = 0; p < n; p++) if (t != p) maxMistakes = Math.max(maxMistakes, report.confusion()[t][p]);
        }
        g.setFont(Png.font(Font.BOLD, Math.round(Math.max(9f, Math.min(17f, cell / 3.6f)))));
        for (int t = 0; t < n; t++) {
            for (int p = 0; p < n; p++) {
                int count = report.confusion()[t][p];
                double shade = t == p ? 1 : (double) count / maxMistakes;
                Color fill = mix(Color.WHITE, t == p ? CORRECT : MISTAKE, count == 0 ? 0 : 0.06 + 0.94 * shade);
                g.setColor(fill);
                g.fillRect(x0 + p * cell, y0 + t * cell, cell, cell);
                g.setColor(count == 0 ? ZERO : luminance(fill) < 0.55 ? Color.WHITE : Png.INK);
                int baseline = y0 + t * cell + cell / 2 + g.getFontMetrics().getAscent() / 2 - 2;
                Png.centred(g, String.valueOf(count), x0 + p * cell + cell / 2.0, baseline);
            }
        }
        g.setColor(new Color(0xdddddd));
        for (int i = 0; i <= n; i++) {
            g.drawLine(x0 + i * cell, y0, x0 + i * cell, y0 + grid);
            g.drawLine(x0, y0 + i * cell, x0 + grid, y0 + i * cell);
        }
        axes(g, n, cell, x0, y0);
        g.dispose();
        return image;
    }

    /** Title with the accuracy, and a line saying how to read the colours. */
    private static void header(Graphics2D g, ClassificationReport report) {
        int correct = (int) Math.round(report.accuracy() * report.rows());
        g.setColor(Png.INK);
        g.setFont(Png.font(Font.BOLD, 19));
        Png.centred(g, String.format(Locale.ROOT, "Confusion matrix: accuracy %.2f%% (%d of %d)", 100 * report.accuracy(),
                correct, report.rows()), Png.WIDTH / 2.0, 36);
        g.setFont(Png.font(Font.PLAIN, 14));
        g.setColor(Png.MUTED);
        Png.centred(g, "test rows per (true, predicted) pair; blue: correct, red: mistakes, darker = more", Png.WIDTH / 2.0, 62);
    }

    /** Class numbers along both edges, "predicted" below, "true" rotated on the left. */
    private static void axes(Graphics2D g, int n, int cell, int x0, int y0) {
        int grid = n * cell;
        g.setColor(Png.INK);
        g.setFont(Png.font(Font.PLAIN, Math.max(10, Math.min(15, cell / 3))));
        int ascent = g.getFontMetrics().getAscent();
        for (int c = 0; c < n; c++) {
            Png.centred(g, String.valueOf(c), x0 + c * cell + cell / 2.0, y0 + grid + 8 + ascent);
            String label = String.valueOf(c);
            g.drawString(label, x0 - 10 - g.getFontMetrics().stringWidth(label), y0 + c * cell + cell / 2 + ascent / 2 - 1);
        }
        g.setFont(Png.font(Font.BOLD, 15));
        Png.centred(g, "predicted class", x0 + grid / 2.0, y0 + grid + 56);
        AffineTransform saved = g.getTransform();
        g.rotate(-Math.PI / 2, x0 - 44, y0 + grid / 2.0);
        Png.centred(g, "true class", x0 - 44, y0 + grid / 2.0);
        g.setTransform(saved);
    }

    /** a blended towards b by t in [0, 1]. */
    private static Color mix(Color a, Color b, double t) {
        return new Color((int) Math.round(a.getRed() + t * (b.getRed() - a.getRed())),
                (int) Math.round(a.getGreen() + t * (b.getGreen() - a.getGreen())),
                (int) Math.round(a.getBlue() + t * (b.getBlue() - a.getBlue())));
    }

    /** Relative luminance 0..1: whether white or dark text reads on the colour. */
    private static double luminance(Color c) {
        return (0.2126 * c.getRed() + 0.7152 * c.getGreen() + 0.0722 * c.getBlue()) / 255;
    }
}
