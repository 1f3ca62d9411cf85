package dev.handnet.nn;

import java.util.random.RandomGenerator;

/**
 * numpy's legacy generator, {@code numpy.random.RandomState} after {@code np.random.seed(s)},
 * ported draw for draw: the same seed gives the same numbers as a numpy script (normals up to
 * their last bit or two, below), so a network can start from the weights and batches a Python
 * tutorial would.
 *
 * <p>Numpy-exact methods (checked against fixtures from numpy 1.24.2):
 * <ul>
 *   <li>{@link #nextInt()}: one raw MT19937 output, as {@code randint(2**32)} (here signed);
 *   <li>{@link #nextDouble()}: {@code random_sample()} / {@code random()};
 *   <li>{@link #uniform(double, double)}: {@code uniform(low, high)};
 *   <li>{@link #nextInt(int)}: {@code randint(bound)};
 *   <li>{@link #nextInt(int, int)}: {@code randint(origin, bound)}.
 * </ul>
 * {@link #nextGaussian()} ({@code randn()}, {@code standard_normal()}) and
 * {@link #nextGaussian(double, double)} ({@code normal(loc, scale)}) draw exactly what numpy
 * draws, but their values go through a logarithm, and no Java log rounds like the C library's
 * (see {@link #nextGaussian()}): a few normals in ten thousand differ from numpy's in the last
 * bit or two.
 *
 * <p>A numpy call with {@code size=n} is n calls here, in C order. The other RandomGenerator
 * methods ({@code nextLong(bound)}, {@code nextDouble(origin, bound)}, {@code nextFloat},
 * {@code nextBoolean}, ...) are Java's defaults on top of these draws: deterministic, but not
 * what numpy would return. Not thread-safe.
 */
public final class NumpyRandom implements RandomGenerator {

    // MT19937 (Matsumoto and Nishimura 1998): 624 words of state, recurrence offset 397.
    private static final int N = 624;
    private static final int M = 397;
    private static final int MATRIX_A = 0x9908b0df;
    private static final int UPPER_MASK = 0x80000000;
    private static final int LOWER_MASK = 0x7fffffff;

    private final int[] mt = new int[N];
    /** Next word of mt to temper; N means the block is used up and must be regenerated. */
    private int pos;
    /** randn draws normals in pairs and keeps the second for the next call. */
    private boolean hasGauss;
    private double gauss;

    /** Seeded as {@code np.random.seed(seed)}; seed must be in [0, 2^32 - 1], as numpy asks. */
    public NumpyRandom(long seed) {
        if (seed < 0 || seed > 0xFFFFFFFFL) {
            throw new IllegalArgumentException("seed " + seed + " outside [0, 2^32 - 1]");
        }
        // init_genrand: mt[i] = 1812433253 * (mt[i-1] ^ (mt[i-1] >>> 30)) + i  (mod 2^32).
        mt[0] = (int) seed;
        for (int i = 1; i < N; i++) {
            mt[i] = 1812433253 * (mt[i - 1] ^ (mt[i - 1] >>> 30)) + i;
        }
        pos = N;
    }

    /** The whole state (624 words, position, the kept normal): bytes that {@link #fromState} restores. */
    byte[] state() {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(4 * N + 4 + 1 + 8);
        for (int w : mt) b.putInt(w);
        return b.putInt(pos).put((byte) (hasGauss ? 1 : 0)).putDouble(gauss).array();
    }

    /** A generator in the state {@link #state()} returned. */
    static NumpyRandom fromState(byte[] state) {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(state);
        if (state.length != 4 * N + 4 + 1 + 8) throw new IllegalArgumentException("numpy generator state of " + state.length + " bytes");
        NumpyRandom r = new NumpyRandom(0);
        for (int i = 0; i < N; i++) r.mt[i] = b.getInt();
        r.pos = b.getInt();
        if (r.pos < 0 || r.pos > N) throw new IllegalArgumentException("numpy generator position " + r.pos);
        r.hasGauss = b.get() != 0;
        r.gauss = b.getDouble();
        return r;
    }

    /** The next 32 bits of MT19937 output (numpy's {@code mt19937_next32}), as a signed int. */
    @Override
    public int nextInt() {
        if (pos == N) regenerate();
        int y = mt[pos++];
        // Tempering.
        y ^= y >>> 11;
        y ^= (y << 7) & 0x9d2c5680;
        y ^= (y << 15) & 0xefc60000;
        y ^= y >>> 18;
        return y;
    }

    /** Twists all N words: mt[i] = mt[i+M] ^ A(upper bit of mt[i] | lower 31 bits of mt[i+1]). */
    private void regenerate() {
        for (int i = 0; i < N; i++) {
            int y = (mt[i] & UPPER_MASK) | (mt[(i + 1) % N] & LOWER_MASK);
            mt[i] = mt[(i + M) % N] ^ (y >>> 1) ^ ((y & 1) == 0 ? 0 : MATRIX_A);
        }
        pos = 0;
    }

    /**
     * Two 32-bit draws, the first as the high half. Numpy's legacy paths never draw 64 bits at
     * once, so this only serves Java's default methods.
     */
    @Override
    public long nextLong() {
        long high = nextInt();
        return (high << 32) | (nextInt() & 0xFFFFFFFFL);
    }

    /**
     * Uniform on [0, 1) with 53 random bits, as {@code random_sample()}: 27 bits from one draw
     * and 26 from the next, (a * 2^26 + b) / 2^53.
     */
    @Override
    public double nextDouble() {
        int a = nextInt() >>> 5;
        int b = nextInt() >>> 6;
        return (a * 67108864.0 + b) / 9007199254740992.0;
    }

    /** Uniform on [low, high) as {@code uniform(low, high)}: low + (high - low) * random(). */
    public double uniform(double low, double high) {
        double range = high - low;
        if (!Double.isFinite(range)) {
            throw new IllegalArgumentException("uniform(" + low + ", " + high + "): range " + range + " is not finite");
        }
        return low + range * nextDouble();
    }

    /**
     * A standard normal, as {@code randn()}: the polar Box-Muller method. Each pair of uniforms
     * inside the unit circle yields two normals; the second is kept for the next call, also
     * across other draws in between (numpy only clears it on seeding).
     *
     * <p>Numpy takes the log with glibc's {@code log}, which is neither correctly rounded nor
     * fdlibm. Against glibc 2.36 on x86-64, {@code Math.log} (HotSpot's intrinsic) rounds
     * differently for about 1 input in 1200 and {@code StrictMath.log} (fdlibm) for 1 in 14;
     * of numpy's first 78400 normals for seed 21, 21 differ with Math.log and 2477 with
     * StrictMath, by at most 2 ulps either way. Hence Math.log. The draws, and so every later
     * number, are unaffected.
     */
    @Override
    public double nextGaussian() {
        if (hasGauss) {
            hasGauss = false;
            return gauss;
        }
        double x1;
        double x2;
        double r2;
        do {
            x1 = 2.0 * nextDouble() - 1.0;
            x2 = 2.0 * nextDouble() - 1.0;
            r2 = x1 * x1 + x2 * x2;
        } while (r2 >= 1.0 || r2 == 0.0);
        // f = sqrt(-2 ln(r2) / r2); sqrt is correctly rounded in C and Java alike.
        double f = Math.sqrt(-2.0 * Math.log(r2) / r2);
        gauss = f * x1;
        hasGauss = true;
        return f * x2;
    }

    /** A normal with the given mean and standard deviation, as {@code normal(mean, stddev)}. */
    @Override
    public double nextGaussian(double mean, double stddev) {
        if (stddev < 0) throw new IllegalArgumentException("stddev " + stddev + " is negative");
        return mean + stddev * nextGaussian();
    }

    /** Uniform on {0, ..., bound - 1}, as {@code randint(bound)}. */
    @Override
    public int nextInt(int bound) {
        if (bound < 1) throw new IllegalArgumentException("bound " + bound + " must be at least 1");
        return (int) maskedUpTo(bound - 1L);
    }

    /** Uniform on {origin, ..., bound - 1}, as {@code randint(origin, bound)}. */
    @Override
    public int nextInt(int origin, int bound) {
        if (origin >= bound) {
            throw new IllegalArgumentException("origin " + origin + " must be below bound " + bound);
        }
        return (int) (origin + maskedUpTo((long) bound - origin - 1));
    }

    /**
     * Uniform on {0, ..., max} for max < 2^32 by numpy's masked rejection: draw 32 bits, keep
     * the smallest all-ones mask covering max, retry while above max. For max = 0 numpy draws
     * nothing, so neither does this.
     */
    private long maskedUpTo(long max) {
        if (max == 0) return 0;
        long mask = -1L >>> Long.numberOfLeadingZeros(max);
        long v;
        do {
            v = nextInt() & mask;
        } while (v > max);
        return v;
    }
}
