package dev.handnet;

import dev.handnet.backend.Backend;
import dev.handnet.backend.Backends;
import dev.handnet.backend.Matrix;
import dev.handnet.data.DigitImage;
import dev.handnet.io.Checkpoint;
import dev.handnet.nn.Architecture;
import dev.handnet.nn.Mlp;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A trained network for use from Java: load a checkpoint written by {@code handnet train}, then
 * ask it about inputs. Holds its backend (and the device memory of its weights) until closed.
 * <pre>{@code
 * try (Model model = Model.load(Path.of("models/modern.hnet"))) {
 *     Prediction p = model.predict(ImageIO.read(new File("digit.png")));
 *     System.out.println(p.label() + " with probability " + p.confidence());
 * }
 * }</pre>
 */
public final class Model implements AutoCloseable {

    private final Backend backend;
    private final Mlp net;

    private Model(Backend backend, Mlp net) {
        this.backend = backend;
        this.net = net;
    }

    /** The checkpoint on the CPU backend. */
    public static Model load(Path checkpoint) {
        return load(checkpoint, "cpu");
    }

    /** The checkpoint on the device a spec names: cpu, auto, opencl or opencl:P:D (as --device). */
    public static Model load(Path checkpoint, String device) {
        Checkpoint c = Checkpoint.load(checkpoint);
        Backend be = Backends.open(device);
        try {
            return new Model(be, c.toMlp(be));
        } catch (RuntimeException e) {
            be.close();
            throw e;
        }
    }

    /** Layer sizes, activation and head. */
    public Architecture architecture() {
        return net.architecture();
    }

    /** The backend's name, e.g. "cpu (2 threads, float32, simd)". */
    public String device() {
        return backend.name();
    }

    /** One input of architecture().inputs() values (784 pixels in [0, 1], ink 1, for MNIST). */
    public Prediction predict(float[] input) {
        return predictAll(List.of(input)).get(0);
    }

    /** A picture of a digit, prepared as MNIST was ({@link DigitImage#prepare}). */
    public Prediction predict(BufferedImage image) {
        return predict(DigitImage.prepare(Path.of("image"), image));
    }

    /** Many inputs in one forward pass. */
    public List<Prediction> predictAll(List<float[]> inputs) {
        int n = inputs.size(), in = architecture().inputs(), out = architecture().outputs();
        float[] x = new float[n * in];
        for (int i = 0; i < n; i++) {
            float[] row = inputs.get(i);
            if (row.length != in) {
                throw new IllegalArgumentException("input " + i + " has " + row.length + " values, expected " + in);
            }
            System.arraycopy(row, 0, x, i * in, in);
        }
        float[] y;
        try (Matrix xs = backend.upload(n, in, x)) {
            y = backend.download(net.forward(xs));  // (n, out)
        }
        architecture().head().toProbabilities(y, out);
        List<Prediction> predictions = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            double[] p = new double[out];
            int best = 0;
            for (int c = 0; c < out; c++) {
                p[c] = y[i * out + c];
                if (p[c] > p[best]) best = c;
            }
            predictions.add(new Prediction(best, p));
        }
        return predictions;
    }

    @Override
    public void close() {
        net.close();
        backend.close();
    }
}
