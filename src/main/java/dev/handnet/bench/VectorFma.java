package dev.handnet.bench;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Single-thread vector FMA throughput for {@link MachinePeak}, on the JDK's Vector API: twelve
 * independent accumulator chains, more than the FMA latency (4 cycles) times the FMA units (2 at
 * most) of current x86 cores, so the units never wait on a result. Loaded only when the JVM runs
 * with {@code --add-modules jdk.incubator.vector}, as backend/cpu's PackedGemm and VectorOps are.
 */
final class VectorFma {

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

    /** Floats per vector: 16 with AVX-512, 8 with AVX2. */
    static final int LANES = S.length();

    /** Independent FMA chains per loop iteration. */
    static final int CHAINS = 12;

    private VectorFma() {
    }

    /**
     * Runs {@code iterations} rounds of acc_i = acc_i * m + c over the CHAINS accumulators and returns
     * their sum (so the work is not dead). m < 1 keeps every value near c / (1 - m): no overflow, no subnormals.
     */
    static float chains(int iterations) {
        FloatVector m = FloatVector.broadcast(S, 0.999f), c = FloatVector.broadcast(S, 1e-3f);
        // Different starting values: twelve equal chains would be one chain to the JIT (common subexpressions).
        FloatVector a0 = start(0), a1 = start(1), a2 = start(2), a3 = start(3), a4 = start(4), a5 = start(5);
        FloatVector a6 = start(6), a7 = start(7), a8 = start(8), a9 = start(9), a10 = start(10), a11 = start(11);
        for (int i = 0; i < iterations; i++) {  // written out: in an array each vector would be boxed at every store
            a0 = a0.fma(m, c);
            a1 = a1.fma(m, c);
            a2 = a2.fma(m, c);
            a3 = a3.fma(m, c);
            a4 = a4.fma(m, c);
            a5 = a5.fma(m, c);
            a6 = a6.fma(m, c);
            a7 = a7.fma(m, c);
            a8 = a8.fma(m, c);
            a9 = a9.fma(m, c);
            a10 = a10.fma(m, c);
            a11 = a11.fma(m, c);
        }
        return a0.add(a1).add(a2).add(a3).add(a4).add(a5).add(a6).add(a7).add(a8).add(a9).add(a10).add(a11)
                .reduceLanes(VectorOperators.ADD);
    }

    private static FloatVector start(int chain) {
        return FloatVector.broadcast(S, chain * 0.01f);
    }
}
