package dev.handnet.backend.cpu;

import java.util.concurrent.locks.LockSupport;

/**
 * Runs a loop over rows on all cores when the work is large enough to pay for the hand-off,
 * and on the calling thread otherwise. The other cores are daemon workers that, after a task,
 * spin for the next one for {@link #SPIN_NANOS} before they park, as OpenMP runtimes and
 * OpenBLAS's threads do: a training step hands out several parallel ops microseconds apart,
 * and waking a parked thread costs tens of microseconds (more on a virtual machine), which at
 * batch 32 is as long as the GEMM it would share. With a ForkJoinPool, the 1000 x 784 x 100
 * GEMM on 2 cores ran at 160 GFLOP/s averaged over calls and 245 in its best call.
 */
final class RowParallel implements AutoCloseable {

    /**
     * Work (multiply-adds or element visits) below which one thread is faster. The batch-32 GEMMs
     * (2.5M multiply-adds) stay on one core: split over two, the modern epoch took 354 ms against
     * 260 ms, as what one op writes on one core had to cross to the other for the next.
     */
    private static final long MIN_PARALLEL_WORK = 1L << 22;

    /** How long an idle worker spins before it parks: longer than the gaps between the ops of a training step. */
    static final long SPIN_NANOS = 2_000_000;

    interface RowRange {
        void run(int from, int to);
    }

    private final int threads;
    private final Worker[] workers;
    private volatile boolean closed;

    RowParallel(int threads) {
        this.threads = threads;
        this.workers = new Worker[threads - 1];
        for (int i = 0; i < workers.length; i++) {
            workers[i] = new Worker("handnet-cpu-" + (i + 1));
            workers[i].start();
        }
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
        for (int c = 1; c < chunks; c++) {
            workers[c - 1].post(body, (int) ((long) rows * c / chunks), (int) ((long) rows * (c + 1) / chunks));
        }
        Throwable failure = null;
        try {
            body.run(0, rows / chunks);
        } catch (RuntimeException | Error e) {
            failure = e;
        }
        // Wait for every chunk even after a failure, so none is still writing when we return.
        for (int c = 1; c < chunks; c++) {
            Throwable t = workers[c - 1].await();
            if (failure == null) failure = t;
        }
        if (failure instanceof RuntimeException r) throw r;
        if (failure instanceof Error err) throw err;
    }

    /** One other core: runs the chunk posted to it, then spins, then parks. */
    private final class Worker extends Thread {
        private volatile RowRange body;
        private int from, to;
        private volatile boolean done;
        private Throwable failure;

        Worker(String name) {
            super(name);
            setDaemon(true);
        }

        void post(RowRange task, int from, int to) {
            this.from = from;
            this.to = to;
            this.failure = null;
            this.done = false;
            this.body = task;  // the volatile write publishes from, to and the reset state
            LockSupport.unpark(this);
        }

        /** Waits for the posted chunk; returns what it threw, or null. The caller's own chunk took about as long, so this spins. */
        Throwable await() {
            while (!done) Thread.onSpinWait();
            return failure;
        }

        @Override
        public void run() {
            while (!closed) {
                RowRange task = next();
                if (task == null) continue;
                try {
                    task.run(from, to);
                } catch (RuntimeException | Error e) {
                    failure = e;
                }
                body = null;
                done = true;  // the volatile write publishes failure
            }
        }

        /** The posted task, after spinning for up to SPIN_NANOS and then parking; null when woken without one. */
        private RowRange next() {
            long spinUntil = System.nanoTime() + SPIN_NANOS;
            RowRange task;
            while ((task = body) == null && !closed && System.nanoTime() < spinUntil) Thread.onSpinWait();
            if (task == null && !closed) {
                LockSupport.park(this);
                task = body;
            }
            return task;
        }
    }

    @Override
    public void close() {
        closed = true;
        for (Worker w : workers) LockSupport.unpark(w);
    }

    boolean isClosed() {
        return closed;
    }
}
