package dev.handnet.backend.opencl;

import org.jocl.cl_kernel;

/**
 * The GEMM kernel (kernels/gemm.cl) built for one device with its {@link GemmConfig}: when the
 * compiled kernel cannot run work-groups that large on the device (registers, local memory),
 * it is rebuilt with smaller tiles.
 */
final class ClGemm {

    private final ClRuntime runtime;
    private final GemmConfig config;
    private final cl_kernel kernel;

    ClGemm(ClRuntime runtime, GemmConfig wanted) {
        this.runtime = runtime;
        GemmConfig c = wanted;
        ClProgram p = runtime.compile("gemm.cl", c.options());
        while (c.canShrink() && p.maxWorkGroupSize("gemm") < c.workGroupSize()) {
            runtime.drop(p);
            c = c.smaller();
            p = runtime.compile("gemm.cl", c.options());
        }
        this.config = c;
        this.kernel = p.kernel("gemm");
    }

    GemmConfig config() {
        return config;
    }

    /** c = alpha * op(a) * op(b) + beta * c.  op(a): (m, k)  op(b): (k, n)  c: (m, n), m, n > 0. */
    void run(boolean transA, boolean transB, double alpha, ClMatrix a, ClMatrix b, double beta, ClMatrix c) {
        int m = c.rows(), n = c.cols(), k = transA ? a.rows() : a.cols();
        runtime.launch(kernel, config.global(m, n), config.local(),
                m, n, k, transA ? 1 : 0, transB ? 1 : 0, runtime.real(alpha), a, b, runtime.real(beta), c);
    }
}
