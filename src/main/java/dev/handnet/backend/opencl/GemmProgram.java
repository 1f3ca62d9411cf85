package dev.handnet.backend.opencl;

import org.jocl.cl_kernel;

/**
 * kernels/gemm.cl built for one device with one {@link GemmConfig}: its four kernels, one per
 * transposition. When the device cannot run one of them with work-groups that large
 * (registers, local memory), it is rebuilt with {@link GemmConfig#smaller()} work-groups.
 */
final class GemmProgram {

    private final ClRuntime runtime;
    private final GemmConfig config;
    private final ClProgram program;
    private final cl_kernel[] kernels = new cl_kernel[4];

    GemmProgram(ClRuntime runtime, GemmConfig wanted) {
        this.runtime = runtime;
        GemmConfig c = wanted;
        ClProgram p = runtime.compile("gemm.cl", c.options());
        while (c.canShrink() && maxGroup(p) < c.workGroupSize()) {
            runtime.drop(p);
            c = c.smaller();
            p = runtime.compile("gemm.cl", c.options());
        }
        this.config = c;
        this.program = p;
        for (int t = 0; t < 4; t++) kernels[t] = p.kernel(GemmClass.values()[t].kernel());
    }

    /** The largest work-group every kernel of p runs with. */
    private static long maxGroup(ClProgram p) {
        long max = Long.MAX_VALUE;
        for (int t = 0; t < 4; t++) max = Math.min(max, p.maxWorkGroupSize(GemmClass.values()[t].kernel()));
        return max;
    }

    /** Releases the program now, not when the runtime closes (the tuner builds hundreds). */
    void release() {
        runtime.drop(program);
    }

    GemmConfig config() {
        return config;
    }

    /** c = alpha * op(a) * op(b) + beta * c.  op(a): (m, k)  op(b): (k, n)  c: (m, n), m, n > 0. */
    void run(boolean transA, boolean transB, double alpha, ClMatrix a, ClMatrix b, double beta, ClMatrix c) {
        int m = c.rows(), n = c.cols(), k = transA ? a.rows() : a.cols();
        runtime.launch(kernels[(transA ? 1 : 0) + (transB ? 2 : 0)], config.global(m, n), config.local(),
                m, n, k, runtime.real(alpha), a, b, runtime.real(beta), c);
    }
}
