package dev.handnet.cli;

import dev.handnet.nn.Trainer;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

import java.io.PrintWriter;
import java.text.DecimalFormat;
import java.util.Locale;
import java.util.function.DoubleSupplier;

/**
 * The progress bar of an epoch on a terminal (me.tongfei:progressbar): samples done, samples per
 * second, the running mean loss and the time left, redrawn five times a second. The loss is read
 * from the device (a wait for it) at most that often, so the bar's times are true. Off when the
 * output is not a terminal or with --quiet: logs and pipes get the epoch lines alone.
 */
final class ProgressLine implements Trainer.BatchListener, AutoCloseable {

    private static final long REDRAW_NANOS = 200_000_000L;
    private final PrintWriter out;
    private final boolean enabled;
    private final int batchSize;
    private final String epochs;
    private ProgressBar bar;
    private int epoch;
    private long lastLoss;

    /** batchSize: rows per batch, for samples; epochs: the total, for the task name. */
    ProgressLine(PrintWriter out, boolean quiet, int batchSize, int epochs) {
        this.out = out;
        this.enabled = !quiet && System.console() != null;
        this.batchSize = batchSize;
        this.epochs = Integer.toString(epochs);
    }

    /** Sets the number the next epoch's bar shows. */
    void epoch(int e) {
        epoch = e;
    }

    @Override
    public void batchDone(int done, int total, DoubleSupplier meanLoss) {
        if (!enabled) return;
        if (bar == null) {
            out.flush();
            bar = new ProgressBarBuilder().setTaskName(String.format(Locale.ROOT, "epoch %d/%s", epoch, epochs))
                    .setInitialMax((long) total * batchSize).setUnit("", 1).showSpeed(new DecimalFormat("#"))
                    .setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis((int) (REDRAW_NANOS / 1_000_000))
                    .setMaxRenderedLength(110).clearDisplayOnFinish()
                    .setConsumer(new ConsoleProgressBarConsumer(System.out)).build();
        }
        bar.stepTo((long) done * batchSize);
        long now = System.nanoTime();
        if (now - lastLoss >= REDRAW_NANOS || done == total) {
            lastLoss = now;
            bar.setExtraMessage(String.format(Locale.ROOT, "  loss %.4f", meanLoss.getAsDouble()));
        }
    }

    /** Erases the bar so the epoch's line starts clean. */
    void clear() {
        if (bar != null) {
            bar.close();
            bar = null;
        }
    }

    @Override
    public void close() {
        clear();
    }
}
