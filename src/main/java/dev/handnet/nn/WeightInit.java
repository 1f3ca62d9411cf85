package dev.handnet.nn;

import java.util.random.RandomGenerator;

/** How initial weights are drawn, host-side and seeded, so every backend starts equal. */
public enum WeightInit {

    /** N(0, 1), as the tutorials do. */
    NORMAL {
        @Override
        double sample(RandomGenerator rng, int in, int out) {
            return rng.nextGaussian();
        }
    },

    /** Glorot/Xavier uniform: U(-r, r) with r = sqrt(6 / (in + out)). */
    GLOROT {
        @Override
        double sample(RandomGenerator rng, int in, int out) {
            double r = Math.sqrt(6.0 / (in + out));
            return (2 * rng.nextDouble() - 1) * r;
        }
    };

    abstract double sample(RandomGenerator rng, int in, int out);

    /** An (in, out) weight matrix, row-major. */
    public double[] weights(RandomGenerator rng, int in, int out) {
        double[] w = new double[in * out];
        for (int i = 0; i < w.length; i++) w[i] = sample(rng, in, out);
        return w;
    }
}
