package dev.handnet.backend.cpu;

import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicIntegerArray;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Every row once, on two threads or one, failures passed to the caller, and after close only the caller. */
class RowParallelTest {

    /** Enough work per row that both threads take part. */
    private static final long HEAVY = 1L << 22;

    private static AtomicIntegerArray visits(RowParallel parallel, boolean balanced, int rows) {
        AtomicIntegerArray seen = new AtomicIntegerArray(rows);
        RowParallel.RowRange body = (from, to) -> {
            for (int r = from; r < to; r++) seen.incrementAndGet(r);
        };
        if (balanced) parallel.forRowsBalanced(rows, HEAVY, body);
        else parallel.forRows(rows, HEAVY, body);
        return seen;
    }

    private static void assertEachOnce(AtomicIntegerArray seen) {
        for (int r = 0; r < seen.length(); r++) assertEquals(1, seen.get(r), "row " + r);
    }

    @Test
    void everyRowIsVisitedOnceInHalvesAndInPieces() {
        try (RowParallel parallel = new RowParallel(2)) {
            for (int rows : new int[] {1, 2, 7, 125, 1000}) {
                for (int round = 0; round < 50; round++) {
                    assertEachOnce(visits(parallel, false, rows));
                    assertEachOnce(visits(parallel, true, rows));
                }
            }
        }
    }

    @Test
    void aFailureInAnyPartReachesTheCallerAfterAllPartsEnd() {
        try (RowParallel parallel = new RowParallel(2)) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> parallel.forRows(2, HEAVY, (from, to) -> {
                if (from == 1) throw new IllegalStateException("row 1");
            }));
            assertEquals("row 1", e.getMessage());
            assertEachOnce(visits(parallel, true, 100));
        }
    }

    @Test
    void afterCloseEveryLoopRunsOnTheCaller() {
        RowParallel parallel = new RowParallel(3);
        visits(parallel, false, 100);
        parallel.close();
        assertTrue(parallel.isClosed());
        Thread caller = Thread.currentThread();
        parallel.forRows(100, HEAVY, (from, to) -> assertEquals(caller, Thread.currentThread()));
        assertEachOnce(visits(parallel, true, 100));
    }
}
