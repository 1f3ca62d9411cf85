package dev.handnet.bench;

import dev.handnet.backend.Backend;
import dev.handnet.backend.Matrix;
import dev.handnet.backend.cpu.CpuBackend;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * JMH timings of the CPU backend's kernels at MNIST training sizes: GEMM at three of the
 * products training runs, sigmoid and softmaxRows on a tutorial batch's hidden layer. Build and run:
 * <pre>
 *   mvn -Pjmh -DskipTests package
 *   java -jar target/benchmarks.jar CpuKernels                                # 3 warm-up, 5 timed 1 s iterations
 *   java -jar target/benchmarks.jar CpuKernels -f 1 -wi 1 -i 1 -w 1s -r 1s   # a quick look
 * </pre>
 * Each fork starts with jdk.incubator.vector, so the GEMM is the SIMD kernel; GFLOP/s = 2 m k n / time.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class CpuKernelsBenchmark {

    /** op(A): (m, k), op(B): (k, n), C: (m, n) of one {@link GemmShape#TRAINING} product. */
    @State(Scope.Benchmark)
    public static class Product {

        /** m x k x n, transposes as TRAINING lists them: tutorial forward, modern forward, modern dW1 = xᵀ dZ. */
        @Param({"1000x784x100", "32x784x100", "784x32x100"})
        public String product;

        Backend be;
        GemmShape shape;
        Matrix a, b, c;

        @Setup
        public void allocate() {
            be = new CpuBackend();
            shape = GemmShape.TRAINING.stream().filter(s -> (s.m() + "x" + s.k() + "x" + s.n()).equals(product)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("no training product " + product));
            Matrix[] ab = shape.operands(be, new Random(1));
            a = ab[0];
            b = ab[1];
            c = be.allocate(shape.m(), shape.n());
        }

        @TearDown
        public void close() {
            be.close();
        }
    }

    /** A tutorial batch's hidden layer: z: (1000, 100) pre-activations, out: (1000, 100). */
    @State(Scope.Benchmark)
    public static class Hidden {

        Backend be;
        Matrix z, out;

        @Setup
        public void allocate() {
            be = new CpuBackend();
            z = GemmBench.random(be, 1000, 100, new Random(2));
            out = be.allocate(1000, 100);
        }

        @TearDown
        public void close() {
            be.close();
        }
    }

    @Benchmark
    public Matrix gemm(Product p) {
        p.be.gemm(p.shape.transA(), p.shape.transB(), 1, p.a, p.b, 0, p.c);
        return p.c;
    }

    @Benchmark
    public Matrix sigmoid1000x100(Hidden h) {
        h.be.sigmoid(h.z, h.out);
        return h.out;
    }

    @Benchmark
    public Matrix softmaxRows1000x100(Hidden h) {
        h.be.softmaxRows(h.z, h.out);
        return h.out;
    }
}
