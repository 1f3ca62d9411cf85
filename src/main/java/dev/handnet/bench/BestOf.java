package dev.handnet.bench;

import dev.handnet.backend.Backend;
import dev.handnet.backend.Matrix;

/**
 * Times a piece of backend work: warm-up calls first (JIT, caches, the device's first launch),
 * then batches of calls, each batch ended by a fence, and the fastest batch per call is the
 * result; other processes only ever slow a batch down. A batch holds enough calls to last
 * {@link #MIN_BATCH_SECONDS}, so a microsecond op is not timed against the clock's resolution
 * or the fence's round trip. At most {@code reps} batches, fewer once {@code budgetSeconds} is spent.
 */
public record BestOf(int reps, double warmupSeconds, double budgetSeconds) {

    /** Shortest batch: 100 times an OpenCL round trip (~20 us on PoCL) and far above nanoTime's resolution. */
    static final double MIN_BATCH_SECONDS = 0.002;

    /** Warm-up calls at the least, even for work slower than the warm-up time: the first call compiles and pages in. */
    private static final int MIN_WARMUP_CALLS = 2;

    public BestOf {
        if (reps < 1) throw new IllegalArgumentException("--reps must be >= 1, got " + reps);
    }

    /** Seconds per call of work on be, the best of the timed batches. */
    public double seconds(Backend be, Runnable work) {
        try (Matrix fence = be.allocate(1, 1)) {
            double one = warmUp(be, fence, work);
            int calls = (int) Math.max(1, Math.ceil(MIN_BATCH_SECONDS / Math.max(one, 1e-9)));
            double best = Double.MAX_VALUE, spent = 0;
            for (int r = 0; r < reps && (r == 0 || spent < budgetSeconds); r++) {
                double seconds = batch(be, fence, work, calls);
                best = Math.min(best, seconds / calls);
                spent += seconds;
            }
            return best;
        }
    }

    /** Runs work for warmupSeconds (and MIN_WARMUP_CALLS at the least); returns the last call's seconds. */
    private double warmUp(Backend be, Matrix fence, Runnable work) {
        long start = System.nanoTime();
        int calls = 0;
        double last;
        do {
            last = batch(be, fence, work, 1);
            calls++;
        } while (calls < MIN_WARMUP_CALLS || (System.nanoTime() - start) / 1e9 < warmupSeconds);
        return last;
    }

    /** Seconds for calls runs of work and the fence after them: an in-order device answers a download only when all work queued before it is done. */
    private static double batch(Backend be, Matrix fence, Runnable work, int calls) {
        long start = System.nanoTime();
        for (int c = 0; c < calls; c++) work.run();
        be.download(fence);
        return (System.nanoTime() - start) / 1e9;
    }
}
