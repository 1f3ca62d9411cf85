package dev.handnet.nn;

import java.util.Random;
import java.util.random.RandomGenerator;

/** Which seeded generator draws initial weights and batches: Java's own, or numpy's legacy one. */
public enum RandomSource {

    /** {@link java.util.Random}. */
    JAVA,

    /** {@link NumpyRandom}: the draws of {@code np.random.seed(seed)}, as the tutorials make them. */
    NUMPY;

    public RandomGenerator seeded(long seed) {
        return this == NUMPY ? new NumpyRandom(seed) : new Random(seed);
    }
}
