package dev.handnet;

import java.lang.management.ManagementFactory;

/**
 * For the fuzz targets: what a reader may allocate on the calling thread for one input.
 * "No input may make handnet allocate far more memory than the file could justify": a header
 * that claims 2^31 items must be refused before anything of that size is allocated, even
 * where the heap would have room for it (so an OutOfMemoryError alone would not show it).
 */
public final class AllocationBudget {

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    /** Exception messages, stack traces, buffers of a few KiB: independent of the input. */
    private static final long SLACK = 4L << 20;

    private AllocationBudget() {
    }

    public interface Body<T> {
        T run();
    }

    /**
     * Runs body and fails with an AssertionError when it allocated more than
     * perInputByte * inputLength + 4 MiB, including when it then threw. A run over budget is
     * repeated once before it counts, since the first call of a reader also loads and links
     * its classes (megabytes, on the same thread); body must be repeatable.
     */
    public static <T> T within(long inputLength, long perInputByte, Body<T> body) {
        long budget = SLACK + perInputByte * inputLength;
        for (int attempt = 1; ; attempt++) {
            long before = THREADS.getCurrentThreadAllocatedBytes();
            T result = null;
            Throwable thrown = null;
            try {
                result = body.run();
            } catch (RuntimeException | Error e) {
                thrown = e;
            }
            long used = THREADS.getCurrentThreadAllocatedBytes() - before;
            if (used <= budget) {
                if (thrown instanceof RuntimeException r) throw r;
                if (thrown instanceof Error e) throw e;
                return result;
            }
            if (attempt == 2) {
                throw new AssertionError("allocated " + used + " bytes for an input of " + inputLength
                        + " bytes, over the budget of " + budget, thrown);
            }
        }
    }
}
