package dev.handnet.bench;

import java.util.Locale;

/**
 * The CPU's peak float32 rate: cores x clock GHz x SIMD lanes x FMA units x 2 (an FMA is two
 * flops). How each factor is found:
 * <ul>
 * <li>clock: one thread runs a dependent chain of integer add and xor, one cycle each on every
 *     current x86 core, and cycles / seconds is the clock it really ran at (boost included, which
 *     /proc/cpuinfo's nominal "cpu MHz" leaves out); best of a few runs;
 * <li>lanes: FloatVector.SPECIES_PREFERRED's length with jdk.incubator.vector, else 1;
 * <li>FMA units: one thread's vector FMA rate ({@link VectorFma}, twelve independent chains)
 *     divided by clock x lanes x 2, rounded to the nearest half; 1 without the Vector API.
 * </ul>
 * fmaGflops is that measured one-thread FMA rate (NaN when not measured).
 */
public record MachinePeak(int cores, double clockGhz, int lanes, double fmaUnits, double fmaGflops) {

    /** Whether the JVM has the Vector API (the launcher adds it); without it there is no vector FMA to time. */
    static final boolean VECTOR_API = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();

    /** Loop iterations per clock run: 2 dependent ops each, 4M cycles, about 1 ms at 3.7 GHz. */
    private static final int CLOCK_ITERATIONS = 2_000_000;

    /** Loop iterations per FMA run: 12 FMAs each, about 1 ms at two vector FMAs per cycle. */
    private static final int FMA_ITERATIONS = 600_000;

    /**
     * Short calls first, enough for C2 to compile each probe as a whole method (C2's threshold is
     * about 5000 calls): a loop compiled on stack replacement instead receives its vectors boxed
     * from the interpreter and keeps allocating them, thirty times slower.
     */
    private static final int WARMUP_CALLS = 20_000, WARMUP_ITERATIONS = 100;

    /**
     * Timed runs of each probe, the fastest kept: other processes on the cores only ever slow a run
     * down, and among many millisecond runs (shorter than a scheduler time slice) some run alone.
     */
    private static final int RUNS = 50;

    /** Where the probes leave their results, so that no JIT can drop the work as unused. */
    private static volatile double sink;

    /** Peak GFLOP/s: cores x clock x lanes x FMA units x 2. */
    public double gflops() {
        return cores * clockGhz * lanes * fmaUnits * 2;
    }

    /** "2 cores x 3.66 GHz x 16 lanes x 1 FMA units x 2 = 234.2 GFLOP/s". */
    public String formula() {
        return String.format(Locale.ROOT, "%d cores x %.2f GHz x %d lanes x %s FMA units x 2 = %.1f GFLOP/s",
                cores, clockGhz, lanes, halves(fmaUnits), gflops());
    }

    /** The peak of this machine; a non-null clockGhz or fmaUnits replaces that measurement. */
    public static MachinePeak measure(Double clockGhz, Double fmaUnits) {
        int cores = Runtime.getRuntime().availableProcessors();
        double clock = clockGhz != null ? clockGhz : measureClockGhz();
        if (!VECTOR_API) return new MachinePeak(cores, clock, 1, fmaUnits != null ? fmaUnits : 1, Double.NaN);
        double fma = measureFmaGflops();
        double units = fmaUnits != null ? fmaUnits : fmaUnits(fma, clock, VectorFma.LANES);
        return new MachinePeak(cores, clock, VectorFma.LANES, units, fma);
    }

    /** FMA units that give the measured one-thread rate at this clock and width, to the nearest half (at least a half). */
    static double fmaUnits(double fmaGflops, double clockGhz, int lanes) {
        return Math.max(0.5, Math.round(2 * fmaGflops / (clockGhz * lanes * 2)) / 2.0);
    }

    /** 1 or 1.5, not 1.0. */
    private static String halves(double x) {
        return x == Math.rint(x) ? String.valueOf((long) x) : String.valueOf(x);
    }

    /** Cycles per second of one thread, in GHz: the add-xor chain runs two cycles per iteration. */
    static double measureClockGhz() {
        for (int i = 0; i < WARMUP_CALLS; i++) sink = addXorChain(i, WARMUP_ITERATIONS);
        double best = Double.MAX_VALUE;
        for (int r = 0; r < RUNS; r++) {
            long start = System.nanoTime();
            sink = addXorChain(r, CLOCK_ITERATIONS);
            best = Math.min(best, (System.nanoTime() - start) / 1e9);
        }
        return 2.0 * CLOCK_ITERATIONS / best / 1e9;
    }

    /** x = (x + a) ^ b, n times: each op waits for the last, and no rewrite shortens the chain. */
    private static long addXorChain(long seed, int n) {
        long x = seed, a = 0x9E3779B97F4A7C15L, b = seed | 1;
        for (int i = 0; i < n; i++) x = (x + a) ^ b;
        return x;
    }

    /** One thread's vector FMA rate in GFLOP/s (2 flops per lane per FMA); best of RUNS. */
    private static double measureFmaGflops() {
        for (int i = 0; i < WARMUP_CALLS; i++) sink = VectorFma.chains(WARMUP_ITERATIONS);
        double best = Double.MAX_VALUE;
        for (int r = 0; r < RUNS; r++) {
            long start = System.nanoTime();
            sink = VectorFma.chains(FMA_ITERATIONS);
            best = Math.min(best, (System.nanoTime() - start) / 1e9);
        }
        return 2.0 * VectorFma.CHAINS * VectorFma.LANES * FMA_ITERATIONS / best / 1e9;
    }
}
