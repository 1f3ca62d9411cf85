package dev.handnet.nn;

import dev.handnet.backend.Backend;
import dev.handnet.backend.Matrix;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Set;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * A multilayer perceptron on one backend: dense layers, each with its activation, and a head.
 * Forward, loss, backward and the SGD step are the whole of training; every op runs on the
 * backend, so on a device nothing but the loss leaves it.
 */
public final class Mlp implements AutoCloseable {

    private final Backend be;
    private final Architecture arch;
    private final List<Dense> layers = new ArrayList<>();
    /** Every layer's parameters with their gradients, made once: the SGD step builds no names. */
    private final List<Parameter> parameters;
    /** Activations and their gradients, one set per batch size seen (training batch, eval chunk). */
    private final Map<Integer, Buffers> buffers = new HashMap<>();
    /** The buffers of the last forwardBackward, for {@link #firstNonFinite()}. */
    private Buffers lastStep;

    /** Per-layer buffers for m rows: z, a (shared with z when linear), dA, dZ (shared with dA when linear), y (shared with the last z for a linear head). */
    private final class Buffers {
        final Matrix[] z, a, dA, dZ;
        final Matrix y;

        Buffers(int m) {
            int n = layers.size();
            z = new Matrix[n];
            a = new Matrix[n];
            dA = new Matrix[n];
            dZ = new Matrix[n];
            for (int i = 0; i < n; i++) {
                boolean linear = arch.activation(i) == Activation.IDENTITY;
                z[i] = be.allocate(m, arch.out(i));
                a[i] = linear ? z[i] : be.allocate(m, arch.out(i));
                dA[i] = be.allocate(m, arch.out(i));
                dZ[i] = linear ? dA[i] : be.allocate(m, arch.out(i));
            }
            y = arch.head() == Head.LINEAR ? z[n - 1] : be.allocate(m, arch.outputs());
        }

        void close() {
            for (Matrix[] ms : List.of(z, a, dA, dZ)) {
                for (Matrix m : ms) m.close();
            }
            y.close();
        }
    }

    /** A network whose parameters are given row-major per layer: W0, b0, W1, b1, ... (no b when no bias). */
    public Mlp(Backend be, Architecture arch, List<double[]> parameters) {
        this.be = be;
        this.arch = arch;
        int expected = arch.layers() * (arch.bias() ? 2 : 1);
        if (parameters.size() != expected) {
            throw new IllegalArgumentException(arch.describe() + " has " + expected + " parameter tensors, got " + parameters.size());
        }
        int next = 0;
        for (int i = 0; i < arch.layers(); i++) {
            Matrix w = be.upload(arch.in(i), arch.out(i), parameters.get(next++));
            Matrix b = arch.bias() ? be.upload(1, arch.out(i), parameters.get(next++)) : null;
            layers.add(new Dense(be, w, b, arch.activation(i)));
        }
        List<Parameter> ps = new ArrayList<>();
        for (int i = 0; i < layers.size(); i++) ps.addAll(layers.get(i).parameters(i));
        this.parameters = List.copyOf(ps);
    }

    /** Fresh parameters: weights drawn by init from rng (host-side, seeded), every bias set to biasInit. */
    public static Mlp initialize(Backend be, Architecture arch, WeightInit init, double biasInit, RandomGenerator rng) {
        List<double[]> ps = new ArrayList<>();
        for (int i = 0; i < arch.layers(); i++) {
            ps.add(init.weights(rng, arch.in(i), arch.out(i)));
            if (arch.bias()) {
                double[] b = new double[arch.out(i)];
                Arrays.fill(b, biasInit);
                ps.add(b);
            }
        }
        return new Mlp(be, arch, ps);
    }

    public Architecture architecture() {
        return arch;
    }

    public Backend backend() {
        return be;
    }

    /**
     * x: (m, in)  ->  y: (m, out), the head's outputs. The returned matrix belongs to the
     * network and is overwritten by the next forward pass with the same m.
     */
    public Matrix forward(Matrix x) {
        Buffers buf = hidden(x);
        arch.head().forward(be, buf.z[layers.size() - 1], buf.y);
        return buf.y;
    }

    /** Every layer's forward pass on x: (m, in), up to the last layer's z: (m, out); returns the buffers. */
    private Buffers hidden(Matrix x) {
        Buffers buf = buffers.computeIfAbsent(x.rows(), Buffers::new);
        Matrix input = x;
        for (int i = 0; i < layers.size(); i++) {
            layers.get(i).forward(input, buf.z[i], buf.a[i]);
            input = buf.a[i];
        }
        return buf;
    }

    /** Mean loss of outputs y against targets t, both (m, out), read back from the backend. */
    public double loss(Matrix y, Matrix t) {
        return be.readLoss(losses -> arch.head().loss(be, y, t, losses, 0));
    }

    /**
     * Forward, loss and backward for one batch x: (m, in), t: (m, out); adds the batch's mean
     * loss to losses[0, at] (losses: (1, k), which stays on the backend) and leaves every
     * parameter's gradient in {@link #parameters()}.
     */
    public void forwardBackward(Matrix x, Matrix t, Matrix losses, int at) {
        Buffers buf = hidden(x);
        lastStep = buf;
        int last = layers.size() - 1;
        arch.head().forwardLossBackward(be, buf.z[last], buf.y, t, buf.dZ[last], losses, at);
        for (int i = last; i >= 0; i--) {
            Matrix input = i == 0 ? x : buf.a[i - 1];
            Matrix dInput = i == 0 ? null : buf.dA[i - 1];
            layers.get(i).backward(input, buf.a[i], buf.dA[i], buf.dZ[i], dInput);
        }
    }

    /** {@link #forwardBackward(Matrix, Matrix, Matrix, int)}, returning the batch's mean loss. */
    public double forwardBackward(Matrix x, Matrix t) {
        return be.readLoss(losses -> forwardBackward(x, t, losses, 0));
    }

    /**
     * After a step: the first activation, gradient or parameter holding NaN or an infinity, in the
     * order the step computed them (forward, backward, update), e.g. "z1 = a0 W1 (32 x 10) became
     * NaN at row 3, column 7"; null when every one is finite. Downloads them all: for debugging.
     */
    public String firstNonFinite() {
        Map<String, Matrix> inOrder = new LinkedHashMap<>();
        Buffers buf = lastStep;
        int last = layers.size() - 1;
        if (buf != null) {
            for (int i = 0; i <= last; i++) {
                inOrder.put("z" + i + " = " + (i == 0 ? "x" : "a" + (i - 1)) + " W" + i, buf.z[i]);
                inOrder.putIfAbsent("a" + i + " = f(z" + i + " + b" + i + ")", buf.a[i]);
            }
            inOrder.put("the output y", buf.y);
            for (int i = last; i >= 0; i--) {
                inOrder.put("dL/dz" + i, buf.dZ[i]);
                for (Parameter p : layers.get(i).parameters(i)) inOrder.put("dL/d" + p.name(), p.gradient());
                if (i > 0) inOrder.put("dL/da" + (i - 1), buf.dA[i - 1]);
            }
        }
        for (Parameter p : parameters) inOrder.put(p.name() + " after the update", p.value());
        Set<Matrix> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Map.Entry<String, Matrix> e : inOrder.entrySet()) {
            Matrix m = e.getValue();
            if (!seen.add(m)) continue;  // a linear layer's a is its z
            double[] v = be.downloadDoubles(m);
            for (int k = 0; k < v.length; k++) {
                if (!Double.isFinite(v[k])) {
                    return String.format(Locale.ROOT, "%s (%d x %d) became %s at row %d, column %d",
                            e.getKey(), m.rows(), m.cols(), v[k], k / m.cols(), k % m.cols());
                }
            }
        }
        return null;
    }

    /** Plain SGD: every parameter -= lr * its gradient. */
    public void sgdStep(double lr) {
        for (Parameter p : parameters) be.axpy(-lr, p.gradient(), p.value());
    }

    /** W0, b0, W1, b1, ... in layer order (b only with biases). */
    public List<Parameter> parameters() {
        return parameters;
    }

    @Override
    public void close() {
        buffers.values().forEach(Buffers::close);
        buffers.clear();
        layers.forEach(Dense::close);
    }
}
