package dev.handnet.nn;

import dev.handnet.backend.Matrix;

/** A trainable tensor and the gradient backprop writes for it, same shape. */
public record Parameter(String name, Matrix value, Matrix gradient) {
}
