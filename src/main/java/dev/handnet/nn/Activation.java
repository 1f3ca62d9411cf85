package dev.handnet.nn;

import dev.handnet.backend.Backend;
import dev.handnet.backend.Matrix;

/** Elementwise activation a = f(z + b) of a layer's GEMM output, with its backward dZ = dA * f'(z) written from a. */
public enum Activation {

    /** a = 1 / (1 + e^-(z + b));  f'(z) = a (1 - a). The bias add and the sigmoid are one pass. */
    SIGMOID {
        @Override
        void forward(Backend be, Matrix z, Matrix bias, Matrix a) {
            if (bias != null) be.biasSigmoid(z, bias, a);
            else be.sigmoid(z, a);
        }

        @Override
        void backward(Backend be, Matrix dA, Matrix a, Matrix dZ) {
            be.sigmoidGradient(dA, a, dZ);
        }
    },

    /** a = z + b;  f'(z) = 1. Layers share one buffer for z and a, and for dA and dZ. */
    IDENTITY {
        @Override
        void forward(Backend be, Matrix z, Matrix bias, Matrix a) {
            requireShared(z, a);
            if (bias != null) be.addRowVector(z, bias);
        }

        @Override
        void backward(Backend be, Matrix dA, Matrix a, Matrix dZ) {
            requireShared(dA, dZ);
        }
    };

    /** z = x W: (m, n), bias: (1, n) or null  ->  a = f(z + bias): (m, n). */
    abstract void forward(Backend be, Matrix z, Matrix bias, Matrix a);

    /** dA, a, dZ: (m, n). */
    abstract void backward(Backend be, Matrix dA, Matrix a, Matrix dZ);

    private static void requireShared(Matrix x, Matrix y) {
        if (x != y) throw new IllegalStateException("identity expects one buffer for input and output");
    }
}
