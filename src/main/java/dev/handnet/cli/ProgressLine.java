package dev.handnet.cli;

import dev.handnet.nn.Trainer;

import java.io.PrintWriter;
import java.util.function.DoubleSupplier;

/**
 * A one-line progress bar for batches within an epoch with the running mean loss, redrawn in
 * place at most five times a second (each draw reads the loss from the device once), and only
 * when the output is a terminal (logs and pipes get the epoch lines alone).
 */
final class ProgressLine implements Trainer.BatchListener, AutoCloseable {

    private static final int WIDTH = 30;
    private final PrintWriter out;
    private final boolean enabled = System.console() != null;
    private long lastDraw;
    private long epochStart = System.nanoTime();
    private boolean drawn;

    ProgressLine(PrintWriter out) {
        this.out = out;
    }

    @Override
    public void batchDone(int done, int total, DoubleSupplier meanLoss) {
        long now = System.nanoTime();
        if (done == 1) epochStart = now;
        if (!enabled || (now - lastDraw < 200_000_000L && done < total)) return;
        double loss = meanLoss.getAsDouble();  // waits for the device, so the times below are true
        now = System.nanoTime();
        lastDraw = now;
        int filled = (int) ((long) WIDTH * done / total);
        double seconds = (now - epochStart) / 1e9;
        double eta = done == 0 ? 0 : seconds * (total - done) / done;
        out.printf(java.util.Locale.ROOT, "\r[%s%s] %d/%d batches  loss %.4f  %.0f s, %.0f s left ",
                "#".repeat(filled), ".".repeat(WIDTH - filled), done, total, loss, seconds, eta);
        out.flush();
        drawn = true;
    }

    /** Erases the bar so the next line starts clean. */
    void clear() {
        if (drawn) {
            out.print("\r" + " ".repeat(WIDTH + 50) + "\r");
            drawn = false;
        }
    }

    @Override
    public void close() {
        clear();
    }
}
