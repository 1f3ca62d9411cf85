package dev.handnet.backend.cpu;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

/** The matrices a {@link CpuBackend} has allocated and not yet closed, so that closing the backend closes them. */
final class LiveMatrices {

    private final Set<CpuMatrix> live = Collections.newSetFromMap(new IdentityHashMap<>());

    synchronized CpuMatrix track(CpuMatrix m) {
        live.add(m);
        return m;
    }

    synchronized void released(CpuMatrix m) {
        live.remove(m);
    }

    /** Matrices allocated and not yet closed. */
    synchronized int count() {
        return live.size();
    }

    /** Bytes of their elements. */
    synchronized long bytes() {
        long sum = 0;
        for (CpuMatrix m : live) sum += m.size() * (m.d != null ? Double.BYTES : Float.BYTES);
        return sum;
    }

    /** Closes every live matrix (each close calls {@link #released}, so the set is copied first). */
    void closeAll() {
        List<CpuMatrix> open;
        synchronized (this) {
            open = List.copyOf(live);
        }
        for (CpuMatrix m : open) m.close();
    }
}
