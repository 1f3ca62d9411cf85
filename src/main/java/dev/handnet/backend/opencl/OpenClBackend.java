package dev.handnet.backend.opencl;

import dev.handnet.backend.Backend;
import dev.handnet.backend.DeviceMatrix;
import dev.handnet.backend.Matrix;
import dev.handnet.backend.Precision;
import dev.handnet.backend.Shapes;
import org.jocl.Pointer;
import org.jocl.cl_kernel;
import org.jocl.cl_mem;

import java.util.List;

/**
 * The Backend on an OpenCL device through JOCL: one short method per op, each launching one
 * kernel of kernels/*.cl through the device's {@link ClRuntime} (context, queue, buffers,
 * copies, launches). Matrices are cl_mem buffers of float, or of double at
 * {@link Precision#FLOAT64}. Only upload, download, gather indices and the scalars of losses
 * and counts cross to or from the host, and {@link #transfers()} counts every such copy.
 * Not thread-safe.
 */
public final class OpenClBackend implements Backend {

    /** Work-groups a loss reduction uses at most: the host then adds that many partial sums. */
    private static final int MAX_REDUCTION_GROUPS = 64;
    /** The reduction kernels, all launched with work-groups of exactly `group` items. */
    private static final List<String> GROUP_KERNELS = List.of("squared_error_partials", "cross_entropy_partials",
            "binary_cross_entropy_partials", "column_sums", "softmax_rows", "argmax_rows", "count_correct");

    private final ClRuntime rt;
    private final ClGemm gemm;
    private final ClProgram elementwise, reduce;
    /** The reduction work-group size: a power of two, at most 256. */
    private final int group;
    private final cl_mem partials, counter;
    private cl_mem indices;
    private int indexCapacity;

    /** float32 on device. */
    public OpenClBackend(DeviceInfo device) {
        this(device, Precision.FLOAT32);
    }

    /** FLOAT64 needs a device with double support ({@link DeviceInfo#float64()}). */
    public OpenClBackend(DeviceInfo device, Precision precision) {
        this(device, precision, KernelSources.classpath());
    }

    /** float32, with kernel text from sources. */
    public OpenClBackend(DeviceInfo device, KernelSources sources) {
        this(device, Precision.FLOAT32, sources);
    }

    /** sources: where kernel text comes from (tests substitute a broken kernel). */
    public OpenClBackend(DeviceInfo device, Precision precision, KernelSources sources) {
        this.rt = new ClRuntime(device, precision, sources);
        this.group = (int) Math.min(256, Long.highestOneBit(Math.max(1, device.maxWorkGroupSize())));
        try {
            this.gemm = new ClGemm(rt, TuningCache.user());
            this.elementwise = rt.compile("elementwise.cl", "");
            this.reduce = rt.compile("reduce.cl", "-D WG=" + group);
            for (String kernel : GROUP_KERNELS) reduce.requireGroupSize(kernel, group, device);
            this.partials = rt.buffer((long) MAX_REDUCTION_GROUPS * rt.realBytes);
            this.counter = rt.buffer(Integer.BYTES);
        } catch (RuntimeException e) {
            rt.close();
            throw e;
        }
    }

    @Override
    public String name() {
        return "opencl " + rt.device.spec() + " " + rt.device.describe()
                + (rt.precision == Precision.FLOAT64 ? ", float64" : "");
    }

    @Override
    public Precision precision() {
        return rt.precision;
    }

    public DeviceInfo device() {
        return rt.device;
    }

    /** The device runtime, for the GEMM tuner's candidate kernels. */
    ClRuntime runtime() {
        return rt;
    }

    /** The GEMM parameters each shape class runs with, and whether they were tuned. */
    public String gemmConfig() {
        return gemm.describe();
    }

    // ---- memory ----------------------------------------------------------------------------

    @Override
    public Matrix allocate(int rows, int cols) {
        Shapes.requireValidShape(rows, cols);
        Math.multiplyExact(rows, cols);
        return rt.matrix(this, rows, cols);
    }

    @Override
    public Matrix upload(int rows, int cols, float[] data) {
        Shapes.requireLength(rows, cols, data.length);
        ClMatrix m = (ClMatrix) allocate(rows, cols);
        rt.writeReals(m.mem, data);
        return m;
    }

    /** At float32, rounds each value to float, as every float32 backend does. */
    @Override
    public Matrix upload(int rows, int cols, double[] data) {
        Shapes.requireLength(rows, cols, data.length);
        ClMatrix m = (ClMatrix) allocate(rows, cols);
        rt.writeReals(m.mem, data);
        return m;
    }

    @Override
    public float[] download(Matrix matrix) {
        ClMatrix m = own(matrix);
        return rt.readFloats(m.mem, (int) m.size());
    }

    @Override
    public double[] downloadDoubles(Matrix matrix) {
        ClMatrix m = own(matrix);
        return rt.readDoubles(m.mem, (int) m.size());
    }

    /** Host-device copies so far: uploads, downloads, gather indices and scalar read-backs. */
    public long transfers() {
        return rt.transfers();
    }

    /** Matrices allocated and not yet closed, and their bytes. */
    public int liveMatrices() {
        return rt.liveMatrices();
    }

    public long liveBytes() {
        return rt.liveBytes();
    }

    // ---- linear algebra --------------------------------------------------------------------

    @Override
    public void gemm(boolean transA, boolean transB, double alpha, Matrix a, Matrix b, double beta, Matrix c) {
        ClMatrix ma = own(a), mb = own(b), mc = own(c);
        Shapes.requireGemm(transA, transB, a, b, c);
        if (c.size() > 0) gemm.run(transA, transB, alpha, ma, mb, beta, mc);
    }

    @Override
    public void addRowVector(Matrix x, Matrix bias) {
        ClMatrix mx = own(x), mb = own(bias);
        Shapes.requireRowVector("addRowVector", x, bias);
        elementwise("add_row_vector", x, x.cols(), mx, mb);
    }

    @Override
    public void columnSums(Matrix x, Matrix out) {
        ClMatrix mx = own(x), mo = own(out);
        Shapes.requireRowVector("columnSums", x, out);
        if (x.cols() == 0) return;
        launch(reduce.kernel("column_sums"), new long[] {(long) x.cols() * group}, new long[] {group},
                x.rows(), x.cols(), mx, mo);
    }

    @Override
    public void axpy(double alpha, Matrix x, Matrix y) {
        ClMatrix mx = own(x), my = own(y);
        Shapes.requireSameShape("axpy", x, y);
        elementwise("axpy", x, rt.real(alpha), mx, my);
    }

    @Override
    public void gatherRows(Matrix src, int[] idx, Matrix out) {
        ClMatrix ms = own(src), mo = own(out);
        Shapes.requireGather(src, idx, out);
        if (idx.length == 0 || out.cols() == 0) return;
        if (idx.length > indexCapacity) {
            if (indices != null) rt.free(indices);
            indices = null;
            indexCapacity = Math.max(idx.length, 2 * indexCapacity);
            indices = rt.buffer((long) indexCapacity * Integer.BYTES);
        }
        rt.write(indices, Pointer.to(idx), (long) idx.length * Integer.BYTES);
        elementwise("gather_rows", out, out.cols(), ms, indices, mo);
    }

    // ---- activations -----------------------------------------------------------------------

    @Override
    public void sigmoid(Matrix z, Matrix out) {
        ClMatrix mz = own(z), mo = own(out);
        Shapes.requireSameShape("sigmoid", z, out);
        elementwise("sigmoid", z, mz, mo);
    }

    @Override
    public void biasSigmoid(Matrix z, Matrix bias, Matrix out) {
        ClMatrix mz = own(z), mb = own(bias), mo = own(out);
        Shapes.requireRowVector("biasSigmoid", z, bias);
        Shapes.requireSameShape("biasSigmoid", z, out);
        elementwise("bias_sigmoid", z, z.cols(), mz, mb, mo);
    }

    @Override
    public void sigmoidGradient(Matrix dA, Matrix s, Matrix dZ) {
        ClMatrix mda = own(dA), ms = own(s), mdz = own(dZ);
        Shapes.requireSameShape("sigmoidGradient", dA, s);
        Shapes.requireSameShape("sigmoidGradient", s, dZ);
        elementwise("sigmoid_gradient", s, mda, ms, mdz);
    }

    @Override
    public void logSigmoid(Matrix z, Matrix out) {
        ClMatrix mz = own(z), mo = own(out);
        Shapes.requireSameShape("logSigmoid", z, out);
        elementwise("log_sigmoid", z, mz, mo);
    }

    @Override
    public void softmaxRows(Matrix z, Matrix out) {
        ClMatrix mz = own(z), mo = own(out);
        Shapes.requireSameShape("softmaxRows", z, out);
        if (z.size() == 0) return;
        launch(reduce.kernel("softmax_rows"), new long[] {(long) z.rows() * group}, new long[] {group}, z.cols(), mz, mo);
    }

    // ---- losses ----------------------------------------------------------------------------

    @Override
    public double mseLoss(Matrix y, Matrix t) {
        return meanOverRows("mseLoss", "squared_error_partials", y, t) / 2;
    }

    @Override
    public void mseGradient(Matrix y, Matrix t, Matrix dY) {
        differenceOverRows("mseGradient", y, t, dY);
    }

    @Override
    public double crossEntropyLoss(Matrix p, Matrix t) {
        return meanOverRows("crossEntropyLoss", "cross_entropy_partials", p, t);
    }

    @Override
    public double binaryCrossEntropyLoss(Matrix p, Matrix t) {
        return meanOverRows("binaryCrossEntropyLoss", "binary_cross_entropy_partials", p, t);
    }

    @Override
    public void softmaxCrossEntropyGradient(Matrix p, Matrix t, Matrix dZ) {
        differenceOverRows("softmaxCrossEntropyGradient", p, t, dZ);
    }

    private void differenceOverRows(String op, Matrix y, Matrix t, Matrix out) {
        ClMatrix my = own(y), mt = own(t), mo = own(out);
        Shapes.requireSameShape(op, y, t);
        Shapes.requireSameShape(op, t, out);
        elementwise("difference_over_rows", y, rt.real(y.rows()), my, mt, mo);
    }

    /**
     * A loss: {@code (1 / m) * sum} of the kernel's per-entry terms, 0 for m = 0.  y, t: (m, n).
     * The kernel reduces into at most MAX_REDUCTION_GROUPS partials, added on the host in double.
     */
    private double meanOverRows(String op, String kernel, Matrix y, Matrix t) {
        ClMatrix my = own(y), mt = own(t);
        Shapes.requireSameShape(op, y, t);
        if (y.rows() == 0) return 0;
        int n = (int) y.size();
        int groups = (int) Math.max(1, Math.min(MAX_REDUCTION_GROUPS, (n + group - 1) / group));
        launch(reduce.kernel(kernel), new long[] {(long) groups * group}, new long[] {group}, n, my, mt, partials);
        double total = 0;
        for (double s : rt.readDoubles(partials, groups)) total += s;
        return total / y.rows();
    }

    // ---- metrics ---------------------------------------------------------------------------

    @Override
    public int[] argmaxRows(Matrix x) {
        ClMatrix mx = own(x);
        int[] out = new int[x.rows()];
        if (x.rows() == 0) return out;
        cl_mem result = rt.buffer((long) x.rows() * Integer.BYTES);
        try {
            launch(reduce.kernel("argmax_rows"), new long[] {(long) x.rows() * group}, new long[] {group}, x.cols(), mx, result);
            rt.read(result, Pointer.to(out), (long) out.length * Integer.BYTES);
        } finally {
            rt.free(result);
        }
        return out;
    }

    @Override
    public int countCorrect(Matrix scores, Matrix targets) {
        ClMatrix ms = own(scores), mt = own(targets);
        Shapes.requireSameShape("countCorrect", scores, targets);
        if (scores.rows() == 0) return 0;
        rt.zero(counter, Integer.BYTES);
        launch(reduce.kernel("count_correct"), new long[] {(long) scores.rows() * group}, new long[] {group},
                scores.cols(), ms, mt, counter);
        int[] count = new int[1];
        rt.read(counter, Pointer.to(count), Integer.BYTES);
        return count[0];
    }

    // ---- launching -------------------------------------------------------------------------

    /** One work-item per element of shape, with (n, args...) as the kernel's arguments. */
    private void elementwise(String kernel, Matrix shape, Object... args) {
        int n = (int) shape.size();
        if (n == 0) return;
        Object[] all = new Object[args.length + 1];
        all[0] = n;
        System.arraycopy(args, 0, all, 1, args.length);
        launch(elementwise.kernel(kernel), new long[] {ClRuntime.roundUp(n, 64)}, null, all);
    }

    private void launch(cl_kernel kernel, long[] global, long[] local, Object... args) {
        rt.launch(kernel, global, local, args);
    }

    private ClMatrix own(Matrix m) {
        rt.requireOpen();
        return DeviceMatrix.owned(this, ClMatrix.class, m);
    }

    /** Releases everything once; a second close does nothing. */
    @Override
    public void close() {
        rt.close();
    }
}
