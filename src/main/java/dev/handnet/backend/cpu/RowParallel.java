package dev.handnet.backend.cpu;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntConsumer;

/**
 * Runs a loop over rows on all cores when the work is large enough to pay for the hand-off,
 * and on the calling thread otherwise. The other cores are daemon workers that, after a task,
 * spin for the next one for {@link #SPIN_NANOS} before they park, as OpenMP runtimes and
 * OpenBLAS's threads do: a training step hands out several parallel ops microseconds apart,
 * and waking a parked thread costs tens of microseconds (more on a virtual machine), which at
 * batch 32 is as long as the GEMM it would share. With a ForkJoinPool, the 1000 x 784 x 100
 * GEMM on 2 cores ran at 160 GFLOP/s averaged over calls and 245 in its best call.
 *
 * <p>No worker runs Java code while the JVM exits: a JVM shutdown hook stops them all (and
 * from then on every loop runs on the calling thread), and {@link #close} waits for its own.
 * (The SIGSEGVs once blamed on workers spinning at exit came from PoCL's LLVM replacing the
 * JVM's signal handlers; the launcher and the tests preload libjsig.so: see SignalHandlersTest.)
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

    /**
     * Chunks per thread in {@link #forRowsBalanced}. On this project's 2-core VM one core ran the
     * same single-threaded GEMM at 75 GFLOP/s and the other at 135; with halves, the fast one
     * waited for the slow one.
     */
    private static final int PIECES_PER_THREAD = 4;

    /** How long close and the shutdown hook wait for a worker to finish its task and stop. */
    private static final long STOP_MILLIS = 1000;

    /** Set by the shutdown hook: workers stop, and every loop runs on the calling thread. */
    private static volatile boolean exiting;

    private static final Set<Worker> LIVE = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            exiting = true;
            stop(LIVE.toArray(new Worker[0]));
        }, "handnet-cpu-exit"));
    }

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

    /** Calls body over [0, rows) in one contiguous chunk per thread used; workPerRow sizes the decision to split. */
    void forRows(int rows, long workPerRow, RowRange body) {
        inPieces(rows, workPerRow, 1, body);
    }

    /**
     * As {@link #forRows}, but in PIECES_PER_THREAD smaller chunks, so that a core that runs
     * slower (a busy neighbour on a shared machine) takes fewer of them.
     */
    void forRowsBalanced(int rows, long workPerRow, RowRange body) {
        inPieces(rows, workPerRow, PIECES_PER_THREAD, body);
    }

    /** Calls body over [0, rows) in contiguous pieces, piecesPerThread for each thread used, which the threads take in turn. */
    private void inPieces(int rows, long workPerRow, int piecesPerThread, RowRange body) {
        int parts = parts(rows, workPerRow);
        if (parts <= 1) {
            body.run(0, rows);
            return;
        }
        int pieces = Math.min(rows, parts * piecesPerThread);
        AtomicInteger next = new AtomicInteger();
        onThreads(parts, part -> {
            for (int p = next.getAndIncrement(); p < pieces; p = next.getAndIncrement()) {
                body.run((int) ((long) rows * p / pieces), (int) ((long) rows * (p + 1) / pieces));
            }
        });
    }

    /** Threads worth using for rows * workPerRow of work: 1 up to all of them; 1 once closed or exiting. */
    private int parts(int rows, long workPerRow) {
        if (closed || exiting) return 1;
        return (int) Math.min(threads, Math.min(rows, rows * workPerRow / MIN_PARALLEL_WORK));
    }

    /** Runs part(0) on this thread and part(1 .. parts - 1) on the workers, and waits for all; one caller at a time. */
    private synchronized void onThreads(int parts, IntConsumer part) {
        for (int w = 1; w < parts; w++) {
            int index = w;
            workers[w - 1].post(() -> part.accept(index));
        }
        Throwable failure = null;
        try {
            part.accept(0);
        } catch (RuntimeException | Error e) {
            failure = e;
        }
        // Wait for every part even after a failure, so none is still writing when we return.
        for (int w = 1; w < parts; w++) {
            Throwable t = workers[w - 1].await();
            if (failure == null) failure = t;
        }
        if (failure instanceof RuntimeException r) throw r;
        if (failure instanceof Error err) throw err;
    }

    /** One other core: runs the task posted to it, then spins, then parks. */
    private final class Worker extends Thread {
        private volatile Runnable task;
        private volatile boolean done;
        private Throwable failure;

        Worker(String name) {
            super(name);
            setDaemon(true);
            LIVE.add(this);
        }

        void post(Runnable work) {
            this.failure = null;
            this.done = false;
            this.task = work;  // the volatile write publishes the reset state and what the caller wrote before
            LockSupport.unpark(this);
        }

        /**
         * Waits for the posted task; returns what it threw, or null. The caller's own part took
         * about as long, so this spins. A worker that stopped (exit) before taking the task leaves
         * it to the caller.
         */
        Throwable await() {
            while (!done) {
                if (!isAlive() && !done) {
                    Runnable work = task;
                    task = null;
                    try {
                        if (work != null) work.run();
                    } catch (RuntimeException | Error e) {
                        failure = e;
                    }
                    done = true;
                }
                Thread.onSpinWait();
            }
            return failure;
        }

        @Override
        public void run() {
            try {
                while (!closed && !exiting) {
                    Runnable work = next();
                    if (work == null) continue;
                    try {
                        work.run();
                    } catch (RuntimeException | Error e) {
                        failure = e;
                    }
                    task = null;
                    done = true;  // the volatile write publishes failure and what the task wrote
                }
            } finally {
                LIVE.remove(this);
            }
        }

        /** The posted task, after spinning for up to SPIN_NANOS and then parking; null when woken without one. */
        private Runnable next() {
            long spinUntil = System.nanoTime() + SPIN_NANOS;
            Runnable work;
            while ((work = task) == null && !closed && !exiting && System.nanoTime() < spinUntil) Thread.onSpinWait();
            if (work == null && !closed && !exiting) {
                LockSupport.park(this);
                work = task;
            }
            return work;
        }
    }

    /** Stops this pool's workers and waits until they have. */
    @Override
    public void close() {
        closed = true;
        stop(workers);
    }

    /** Wakes the workers, which see closed or exiting and stop, and waits up to STOP_MILLIS for each. */
    private static void stop(Worker[] workers) {
        boolean interrupted = false;
        for (Worker w : workers) {
            LockSupport.unpark(w);
            try {
                w.join(STOP_MILLIS);
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) Thread.currentThread().interrupt();
    }

    boolean isClosed() {
        return closed;
    }
}
