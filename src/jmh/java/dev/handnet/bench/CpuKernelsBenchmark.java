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
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * JMH timings of the CPU backend's kernels at MNIST training sizes: GEMM as the layers call it,
 * sigmoid and softmaxRows on a tutorial batch's hidden layer. Build and run:
 * <pre>
 *   mvn -Pjmh -DskipTests package
 *   java -jar target/benchmarks.jar CpuKernels                                # 3 warm-up, 5 timed 1 s iterations
 *   java -jar target/benchmarks.jar CpuKernels -f 1 -wi 1 -i 1 -w 1s -r 1s   # a quick look
 * </pre>
 * Each fork starts with jdk.incubator.vector, so the GEMM is the SIMD kernel; GFLOP/s = 2 m k n / time.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class CpuKernelsBenchmark {

    private Backend be;
    /** Inputs x: (1000 or 32, 784), W1: (784, 100), dZ32: (32, 100), z1000: (1000, 100); the rest are outputs. */
    private Matrix x1000, z1000, x32, z32, dZ32, w1, dW1, a1000;

    @Setup
    public void allocate() {
        be = new CpuBackend();
        Random random = new Random(1);
        x1000 = GemmBench.random(be, 1000, 784, random);
        x32 = GemmBench.random(be, 32, 784, random);
        w1 = GemmBench.random(be, 784, 100, random);
        dZ32 = GemmBench.random(be, 32, 100, random);
        z1000 = GemmBench.random(be, 1000, 100, random);
        z32 = be.allocate(32, 100);
        dW1 = be.allocate(784, 100);
        a1000 = be.allocate(1000, 100);
    }

    @TearDown
    public void close() {
        be.close();
    }

    /** Tutorial forward: z = x W1, (1000, 784) x (784, 100). */
    @Benchmark
    public Matrix gemmForwardBatch1000() {
        be.gemm(false, false, 1, x1000, w1, 0, a1000);
        return a1000;
    }

    /** Modern forward: z = x W1, (32, 784) x (784, 100). */
    @Benchmark
    public Matrix gemmForwardBatch32() {
        be.gemm(false, false, 1, x32, w1, 0, z32);
        return z32;
    }

    /** Modern dW1 = xᵀ dZ: (784, 32) x (32, 100). */
    @Benchmark
    public Matrix gemmWeightGradientBatch32() {
        be.gemm(true, false, 1, x32, dZ32, 0, dW1);
        return dW1;
    }

    /** sigmoid of (1000, 100). */
    @Benchmark
    public Matrix sigmoid1000x100() {
        be.sigmoid(z1000, a1000);
        return a1000;
    }

    /** softmaxRows of (1000, 100). */
    @Benchmark
    public Matrix softmaxRows1000x100() {
        be.softmaxRows(z1000, a1000);
        return a1000;
    }
}
