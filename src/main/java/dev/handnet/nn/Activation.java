package dev.handnet.nn;

import dev.handnet.backend.Backend;
import dev.handnet.backend.Matrix;

/** Elementwise activation a = f(z), with its backward dZ = dA * f'(z) written from a. */
public enum Activation {

    /** a = 1 / (1 + e^-z);  f'(z) = a (1 - a). */
    SIGMOID {
        @Override
        void forward(Backend be, Matrix z, Matrix a) {
            be.sigmoid(z, a);
        }

        @Override
        void backward(Backend be, Matrix dA, Matrix a, Matrix dZ) {
            be.sigmoidGradient(dA, a, dZ);
        }
    },

    /** a = z;  f'(z) = 1. Layers share one buffer for z and a, and for dA and dZ. */
    IDENTITY {
        @Override
        void forward(Backend be, Matrix z, Matrix a) {
            requireShared(z, a);
        }

        @Override
        void backward(Backend be, Matrix dA, Matrix a, Matrix dZ) {
            requireShared(dA, dZ);
        }
    };

    /** z, a: (m, n). */
    abstract void forward(Backend be, Matrix z, Matrix a);

    /** dA, a, dZ: (m, n). */
    abstract void backward(Backend be, Matrix dA, Matrix a, Matrix dZ);

    private static void requireShared(Matrix x, Matrix y) {
        if (x != y) throw new IllegalStateException("identity expects one buffer for input and output");
    }
}
