package dev.handnet.backend.opencl;

import java.util.List;

/**
 * handnet's kernel files compiled for one device: gemm.cl ({@link ClGemm}), elementwise.cl
 * (one work-item per element) and reduce.cl (work-groups of {@link #group} items that reduce
 * in local memory), with the two ways {@link OpenClBackend}'s ops launch them.
 */
final class ClKernels {

    /** The reduce.cl kernels, all launched with work-groups of exactly `group` items. */
    private static final List<String> GROUP_KERNELS = List.of("squared_error_total", "cross_entropy_total",
            "binary_cross_entropy_total", "softmax_cross_entropy", "column_sums", "softmax_rows", "argmax_rows",
            "count_correct");

    private final ClRuntime rt;
    final ClGemm gemm;
    private final ClProgram elementwise, reduce;
    /** The reduction work-group size: a power of two, at most 256 and at most the device's. */
    final int group;

    ClKernels(ClRuntime rt) {
        this.rt = rt;
        this.group = (int) Math.min(256, Long.highestOneBit(Math.max(1, rt.device.maxWorkGroupSize())));
        this.gemm = new ClGemm(rt, GemmConfig.forDevice(rt.device));
        this.elementwise = rt.compile("elementwise.cl", "");
        this.reduce = rt.compile("reduce.cl", "-D WG=" + group);
        for (String kernel : GROUP_KERNELS) reduce.requireGroupSize(kernel, group, rt.device);
    }

    /** An elementwise.cl kernel over n elements, one work-item each, with (n, args...) as its arguments. */
    void elementwise(String kernel, long n, Object... args) {
        if (n == 0) return;
        Object[] all = new Object[args.length + 1];
        all[0] = (int) n;
        System.arraycopy(args, 0, all, 1, args.length);
        rt.launch(elementwise.kernel(kernel), new long[] {ClRuntime.roundUp(n, 64)}, null, all);
    }

    /** A reduce.cl kernel in groups work-groups of `group` items each, with args as its arguments. */
    void perGroup(String kernel, long groups, Object... args) {
        rt.launch(reduce.kernel(kernel), new long[] {groups * group}, new long[] {group}, args);
    }
}
