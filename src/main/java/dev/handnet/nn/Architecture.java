package dev.handnet.nn;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * The shape of an MLP: layer sizes from input to output (784, 100, 10), the hidden layers'
 * activation, the output head and whether layers carry biases.
 */
public record Architecture(int[] sizes, Activation hidden, Head head, boolean bias) {

    public Architecture {
        if (sizes.length < 2) {
            throw new IllegalArgumentException("an MLP needs at least input and output sizes, got " + Arrays.toString(sizes));
        }
        for (int s : sizes) {
            if (s < 1) throw new IllegalArgumentException("layer sizes must be >= 1, got " + Arrays.toString(sizes));
        }
        sizes = sizes.clone();
    }

    /** Layer sizes from input to output: in, the hidden sizes, out. */
    public static int[] sizes(int in, int[] hidden, int out) {
        return IntStream.concat(IntStream.of(in), IntStream.concat(IntStream.of(hidden), IntStream.of(out))).toArray();
    }

    @Override
    public int[] sizes() {
        return sizes.clone();
    }

    public int layers() {
        return sizes.length - 1;
    }

    public int inputs() {
        return sizes[0];
    }

    public int outputs() {
        return sizes[sizes.length - 1];
    }

    /** Input size of layer i. */
    public int in(int layer) {
        return sizes[layer];
    }

    /** Output size of layer i. */
    public int out(int layer) {
        return sizes[layer + 1];
    }

    /** The last layer is linear: its head applies the output nonlinearity. */
    public Activation activation(int layer) {
        return layer == layers() - 1 ? Activation.IDENTITY : hidden;
    }

    /** "784-100-10 sigmoid, head ce, biases". */
    public String describe() {
        return Arrays.stream(sizes).mapToObj(Integer::toString).collect(Collectors.joining("-"))
                + " " + hidden.name().toLowerCase(Locale.ROOT) + ", head " + head.name().toLowerCase(Locale.ROOT) + (bias ? ", biases" : ", no biases");
    }
}
