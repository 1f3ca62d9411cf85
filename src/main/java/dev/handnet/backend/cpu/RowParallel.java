package dev.handnet.backend.cpu;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.Future;

/**
 * Runs a loop over rows on all cores when the work is large enough to pay for the hand-off
 * (about 20 µs), and on the calling thread otherwise.
 */
final class RowParallel implements AutoCloseable {

    /** Work (multiply-adds or element visits) below which one thread is faster. */
    private static final long MIN_PARALLEL_WORK = 1L << 17;

    interface RowRange {
        void run(int from, int to);
    }

    private final int threads;
    private final ForkJoinPool pool;

    RowParallel(int threads) {
        this.threads = threads;
        this.pool = threads > 1 ? new ForkJoinPool(threads - 1) : null;
    }

    int threads() {
        return threads;
    }

    /** Calls body over [0, rows) in contiguous chunks; workPerRow sizes the decision to split. */
    void forRows(int rows, long workPerRow, RowRange body) {
        int chunks = (int) Math.min(threads, Math.min(rows, rows * workPerRow / MIN_PARALLEL_WORK));
        if (chunks <= 1) {
            body.run(0, rows);
            return;
        }
        List<Future<?>> others = new ArrayList<>(chunks - 1);
        for (int c = 1; c < chunks; c++) {
            int from = (int) ((long) rows * c / chunks);
            int to = (int) ((long) rows * (c + 1) / chunks);
            others.add(pool.submit(() -> body.run(from, to)));
        }
        Throwable failure = null;
        try {
            body.run(0, rows / chunks);
        } catch (RuntimeException | Error e) {
            failure = e;
        }
        // Wait for every chunk even after a failure, so none is still writing when we return.
        for (Future<?> f : others) {
            Throwable t = join(f);
            if (failure == null) failure = t;
        }
        if (failure instanceof RuntimeException r) throw r;
        if (failure instanceof Error err) throw err;
    }

    /** Waits for f; returns what it threw, or null. */
    private static Throwable join(Future<?> f) {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    f.get();
                    return null;
                } catch (InterruptedException e) {
                    interrupted = true;
                } catch (ExecutionException e) {
                    return e.getCause();
                }
            }
        } finally {
            if (interrupted) Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        if (pool != null) pool.shutdown();
        closed = true;
    }

    private volatile boolean closed;

    boolean isClosed() {
        return closed;
    }
}
