package dev.handnet.bench;

import dev.handnet.backend.Backend;
import dev.handnet.backend.Matrix;

import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

/**
 * One product C = op(A) op(B) to time, op(A): (m, k), op(B): (k, n), C: (m, n); a transposed
 * operand is stored as its transpose, as the layers store x and W. sweep: one of the square
 * sizes the plot draws.
 */
public record GemmShape(int m, int k, int n, boolean transA, boolean transB, boolean sweep) {

    /** The products MNIST training runs, and square ones to compare with other libraries; the peers time the same list. */
    static final List<GemmShape> TRAINING = List.of(
            new GemmShape(1000, 784, 100, false, false, false),   // tutorial forward: x W1, batch 1000
            new GemmShape(784, 1000, 100, true, false, false),    // tutorial dW1 = xᵀ dZ1
            new GemmShape(1000, 100, 784, false, true, false),    // dX = dZ1 W1ᵀ, backward through W1
            new GemmShape(1024, 1024, 1024, false, false, false),
            new GemmShape(32, 784, 100, false, false, false),     // modern forward: x W1, batch 32
            new GemmShape(784, 32, 100, true, false, false),      // modern dW1 = xᵀ dZ1
            new GemmShape(1000, 100, 10, false, false, false));   // tutorial output layer: h W2

    /** Left out by --quick: seconds per call on the CPU, minutes through PoCL's launches. */
    static final List<GemmShape> LARGE = List.of(new GemmShape(2048, 2048, 2048, false, false, false));

    /** Square sizes for the plot, n x n times n x n. */
    static final int[] SWEEP = {64, 128, 256, 512, 1024, 2048};

    /** --quick's largest sweep size. */
    static final int QUICK_SWEEP_MAX = 512;

    /** The shapes to time, in order: training shapes, the large one, then the sweep. */
    static List<GemmShape> all(boolean quick) {
        Stream<GemmShape> named = Stream.concat(TRAINING.stream(), quick ? Stream.empty() : LARGE.stream());
        Stream<GemmShape> sweep = Arrays.stream(SWEEP).filter(s -> !quick || s <= QUICK_SWEEP_MAX)
                .mapToObj(s -> new GemmShape(s, s, s, false, false, true));
        return Stream.concat(named, sweep).toList();
    }

    /** Random operands as the layers store them: A is (k, m) when transposed, B (n, k); op(A) is (m, k), op(B) (k, n). */
    Matrix[] operands(Backend be, Random random) {
        Matrix a = GemmBench.random(be, transA ? k : m, transA ? m : k, random);
        return new Matrix[] {a, GemmBench.random(be, transB ? n : k, transB ? k : n, random)};
    }

    /** Floating-point operations of one product: a multiply and an add per (i, p, j). */
    double flops() {
        return 2.0 * m * k * n;
    }

    /** "A^T B" and the like, as the table shows the product. */
    String product() {
        return (transA ? "A^T" : "A") + " " + (transB ? "B^T" : "B");
    }
}
