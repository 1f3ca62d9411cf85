package dev.handnet.backend.opencl;

import java.util.List;

/**
 * handnet's kernel files compiled for one device: gemm.cl ({@link ClGemm}), elementwise.cl
 * (one work-item per element, over n or a (cols, rows) grid), rows.cl (one work-item per row
 * or column) and reduce.cl (work-groups of {@link #group} items that reduce in local memory),
 * with the ways {@link OpenClBackend}'s ops launch them.
 */
final class ClKernels {

    /** The reduce.cl kernels, all launched with work-groups of exactly `group` items. */
    private static final List<String> GROUP_KERNELS = List.of("squared_error_total", "cross_entropy_total",
            "binary_cross_entropy_total", "softmax_cross_entropy");

    private final ClRuntime rt;
    final ClGemm gemm;
    private final ClProgram elementwise, rows, reduce;
    /** The reduction work-group size: a power of two, at most 256 and at most the device's. */
    final int group;

    ClKernels(ClRuntime rt) {
        this.rt = rt;
        this.group = (int) Math.min(256, Long.highestOneBit(Math.max(1, rt.device.maxWorkGroupSize())));
        this.gemm = new ClGemm(rt, TuningCache.user());
        this.elementwise = rt.compile("elementwise.cl", "");
        this.rows = rt.compile("rows.cl", "");
        this.reduce = rt.compile("reduce.cl", "-D WG=" + group);
        for (String kernel : GROUP_KERNELS) reduce.requireGroupSize(kernel, group, rt.device);
    }

    /** An elementwise.cl kernel over n elements, one work-item each, with (n, args...) as its arguments. */
    void elementwise(String kernel, long n, Object... args) {
        each(elementwise, kernel, n, args);
    }

    /** An elementwise.cl kernel over a (cols, rows) grid, one work-item per element: (cols, rows, args...). */
    void grid(String kernel, int cols, int rows, Object... args) {
        if (cols == 0 || rows == 0) return;
        rt.launch(elementwise.kernel(kernel), new long[] {cols, rows}, null, prepend(args, cols, rows));
    }

    /** A rows.cl kernel, one work-item per each of n rows or columns: (n, args...). */
    void rows(String kernel, int n, Object... args) {
        each(rows, kernel, n, args);
    }

    private void each(ClProgram program, String kernel, long n, Object... args) {
        if (n == 0) return;
        rt.launch(program.kernel(kernel), new long[] {roundUp(n, 64)}, null, prepend(args, (int) n));
    }

    private static Object[] prepend(Object[] args, Object... first) {
        Object[] all = new Object[first.length + args.length];
        System.arraycopy(first, 0, all, 0, first.length);
        System.arraycopy(args, 0, all, first.length, args.length);
        return all;
    }

    /** A reduce.cl kernel in groups work-groups of `group` items each, with args as its arguments. */
    void perGroup(String kernel, long groups, Object... args) {
        rt.launch(reduce.kernel(kernel), new long[] {groups * group}, new long[] {group}, args);
    }

    /** n rounded up to a multiple: a launch's global size. */
    static long roundUp(long n, long multiple) {
        return (n + multiple - 1) / multiple * multiple;
    }
}
