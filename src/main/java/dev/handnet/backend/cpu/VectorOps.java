package dev.handnet.backend.cpu;

import java.util.Arrays;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The float32 elementwise and row ops of {@link CpuBackend} on the Vector API, for the steps
 * of training: one pass each over row-major float arrays, exp and log1p through {@link VectorMath}
 * (on x86, 100 000 sigmoids took about 30 µs on the Vector API against 700 µs with Math.exp;
 * VectorMath, not the API's EXP, so that a run gives the same bits however far the JIT has
 * compiled it). The double loops of {@link ReferenceOps} stay the reference they are tested
 * against, and run whenever the JVM lacks jdk.incubator.vector. Shapes: x, z, out: (m, n); bias, sums: (1, n).
 */
final class VectorOps {

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int LANES = S.length();

    /** Rows summed in float before the partial sums go into double: bounds the float rounding at about 32 ulps. */
    private static final int SUM_ROWS = 32;

    private VectorOps() {
    }

    /** out[r, :] = x[r, :] + bias[0, :]; out may be x. */
    static void addRowVector(float[] x, float[] bias, float[] out, int m, int n) {
        for (int r = 0; r < m; r++) {
            int row = r * n, j = 0;
            for (; j < S.loopBound(n); j += LANES) {
                FloatVector.fromArray(S, x, row + j).add(FloatVector.fromArray(S, bias, j)).intoArray(out, row + j);
            }
            for (; j < n; j++) out[row + j] = x[row + j] + bias[j];
        }
    }

    /** out = 1 / (1 + exp(-z)); out may be z. */
    static void sigmoid(float[] z, float[] out, int size) {
        int i = 0;
        for (; i < S.loopBound(size); i += LANES) {
            FloatVector e = VectorMath.exp(FloatVector.fromArray(S, z, i).neg());
            FloatVector.broadcast(S, 1f).div(e.add(1f)).intoArray(out, i);
        }
        for (; i < size; i++) out[i] = (float) (1 / (1 + Math.exp(-z[i])));
    }

    /**
     * out[r, :] = 1 / (1 + exp(-(z[r, :] + bias))); out may be z. The bias goes in row by row, then
     * the sigmoid runs over the whole of out while it is still in cache: a row of 100 ends in 4
     * columns that no whole vector covers, and JDK 17 compiles masked vector loads to a slow
     * fallback (1.6 ms against 36 µs at 1000 x 100), while a scalar exp for those columns took as
     * long as all the rest.
     */
    static void biasSigmoid(float[] z, float[] bias, float[] out, int m, int n) {
        addRowVector(z, bias, out, m, n);
        sigmoid(out, out, m * n);
    }

    /** dZ = dA * s * (1 - s); dZ may be dA or s. */
    static void sigmoidGradient(float[] dA, float[] s, float[] dZ, int size) {
        int i = 0;
        for (; i < S.loopBound(size); i += LANES) {
            FloatVector sv = FloatVector.fromArray(S, s, i);
            FloatVector.fromArray(S, dA, i).mul(sv).mul(sv.neg().add(1f)).intoArray(dZ, i);
        }
        for (; i < size; i++) dZ[i] = dA[i] * s[i] * (1 - s[i]);
    }

    /** out = (y - t) / m over every entry; out may be y or t. */
    static void differenceOverRows(float[] y, float[] t, float[] out, int m, int size) {
        float scale = 1f / m;
        int i = 0;
        for (; i < S.loopBound(size); i += LANES) {
            FloatVector.fromArray(S, y, i).sub(FloatVector.fromArray(S, t, i)).mul(scale).intoArray(out, i);
        }
        for (; i < size; i++) out[i] = (y[i] - t[i]) * scale;
    }

    /** Per-thread double column sums for {@link #columnSums}, grown to the widest matrix seen. */
    private static final ThreadLocal<double[]> COLUMN_SUMS = ThreadLocal.withInitial(() -> new double[0]);

    /** sums[0, j] = sum over rows of x[r, j], in float within blocks of SUM_ROWS rows and in double across them. */
    static void columnSums(float[] x, float[] sums, int m, int n) {
        double[] scratch = COLUMN_SUMS.get();
        if (scratch.length < n) COLUMN_SUMS.set(scratch = new double[n]);
        Arrays.fill(scratch, 0, n, 0);
        for (int r0 = 0; r0 < m; r0 += SUM_ROWS) {
            int r1 = Math.min(m, r0 + SUM_ROWS), j = 0;
            for (; j < S.loopBound(n); j += LANES) {
                FloatVector acc = FloatVector.zero(S);
                for (int r = r0; r < r1; r++) acc = acc.add(FloatVector.fromArray(S, x, r * n + j));
                for (int l = 0; l < LANES; l++) scratch[j + l] += acc.lane(l);
            }
            for (; j < n; j++) {
                float acc = 0;
                for (int r = r0; r < r1; r++) acc += x[r * n + j];
                scratch[j] += acc;
            }
        }
        for (int j = 0; j < n; j++) sums[j] = (float) scratch[j];
    }

    /** out[r, :] = exp(z[r, :] - max_r) / sum exp(z[r, :] - max_r); out may be z. Rows are short (the classes), so exp runs over the whole array at once. */
    static void softmaxRows(float[] z, float[] out, int m, int n) {
        for (int r = 0; r < m; r++) {
            float max = Float.NEGATIVE_INFINITY;
            for (int j = r * n; j < (r + 1) * n; j++) max = Math.max(max, z[j]);
            for (int j = r * n; j < (r + 1) * n; j++) out[j] = z[j] - max;
        }
        exp(out, m * n);
        for (int r = 0; r < m; r++) {
            float sum = 0;
            for (int j = r * n; j < (r + 1) * n; j++) sum += out[j];
            float inverse = 1 / sum;
            for (int j = r * n; j < (r + 1) * n; j++) out[j] *= inverse;
        }
    }

    /**
     * out = log(sigmoid(z)) = min(z, 0) - log1p(exp(-|z|)), which neither overflows nor rounds to
     * -inf; out may be z. In two passes, exp then log1p: in one loop C2 stopped inlining
     * (NodeCountInliningCutoff) and every vector became an object, 16 times slower.
     */
    static void logSigmoid(float[] z, float[] out, int size) {
        int bound = S.loopBound(size);
        float[] u = LOG_SIGMOID.get();
        if (u.length < bound) LOG_SIGMOID.set(u = new float[bound]);
        for (int i = 0; i < bound; i += LANES) VectorMath.exp(FloatVector.fromArray(S, z, i).abs().neg()).intoArray(u, i);
        for (int i = 0; i < bound; i += LANES) {
            FloatVector soft = VectorMath.log1pUnit(FloatVector.fromArray(S, u, i));
            FloatVector.fromArray(S, z, i).min(0f).sub(soft).intoArray(out, i);
        }
        for (int i = bound; i < size; i++) out[i] = (float) (Math.min(z[i], 0) - Math.log1p(Math.exp(-Math.abs(z[i]))));
    }

    /** exp(-|z|) for {@link #logSigmoid}, per thread, grown to the largest matrix seen. */
    private static final ThreadLocal<float[]> LOG_SIGMOID = ThreadLocal.withInitial(() -> new float[0]);

    /** x = exp(x) over the first size entries. */
    private static void exp(float[] x, int size) {
        int i = 0;
        for (; i < S.loopBound(size); i += LANES) VectorMath.exp(FloatVector.fromArray(S, x, i)).intoArray(x, i);
        for (; i < size; i++) x[i] = (float) Math.exp(x[i]);
    }
}
