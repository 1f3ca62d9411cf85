package dev.handnet.nn;

import dev.handnet.backend.Backend;
import dev.handnet.backend.Matrix;

import java.util.ArrayList;
import java.util.List;

/**
 * A fully connected layer with its activation: z = x W + b, a = f(z).
 * W: (in, out)  b: (1, out) or none. Forward and backward sit side by side.
 */
public final class Dense implements AutoCloseable {

    private final Backend be;
    final int inputs;
    final int outputs;
    final Activation activation;
    final Matrix w;
    final Matrix b;
    private final Matrix dW;
    private final Matrix dB;

    /** Takes ownership of w (in, out) and b (1, out), which may be null for no bias. */
    Dense(Backend be, Matrix w, Matrix b, Activation activation) {
        this.be = be;
        this.inputs = w.rows();
        this.outputs = w.cols();
        this.activation = activation;
        this.w = w;
        this.b = b;
        this.dW = be.allocate(inputs, outputs);
        this.dB = b == null ? null : be.allocate(1, outputs);
    }

    /** x: (m, in)  ->  z = x W: (m, out)  ->  a = f(z + b): (m, out). */
    void forward(Matrix x, Matrix z, Matrix a) {
        be.gemm(false, false, 1, x, w, 0, z);  // z = x W: (m, out)
        activation.forward(be, z, b, a);        // a = f(z + b), bias and activation in one pass
    }

    /**
     * dA = dL/da: (m, out)  ->  dZ = dA * f'(z): (m, out);  dW = xᵀ dZ: (in, out);
     * db = sum over rows of dZ: (1, out);  dX = dZ Wᵀ: (m, in), skipped when dX is null.
     */
    void backward(Matrix x, Matrix a, Matrix dA, Matrix dZ, Matrix dX) {
        activation.backward(be, dA, a, dZ);
        be.gemm(true, false, 1, x, dZ, 0, dW);
        if (b != null) be.columnSums(dZ, dB);
        if (dX != null) be.gemm(false, true, 1, dZ, w, 0, dX);
    }

    /** W: (in, out) and b: (1, out) with the gradients the last backward wrote; index names them (W0, b0). */
    List<Parameter> parameters(int index) {
        List<Parameter> ps = new ArrayList<>(2);
        ps.add(new Parameter("W" + index, w, dW));
        if (b != null) ps.add(new Parameter("b" + index, b, dB));
        return ps;
    }

    @Override
    public void close() {
        for (Matrix m : new Matrix[] {w, b, dW, dB}) {
            if (m != null) m.close();
        }
    }
}
