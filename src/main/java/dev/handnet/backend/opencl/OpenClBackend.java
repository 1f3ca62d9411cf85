package dev.handnet.backend.opencl;

import dev.handnet.backend.Backend;
import dev.handnet.backend.DeviceException;
import dev.handnet.backend.DeviceMatrix;
import dev.handnet.backend.Matrix;
import dev.handnet.backend.Precision;
import dev.handnet.backend.Shapes;
import org.jocl.Pointer;
import org.jocl.Sizeof;
import org.jocl.cl_command_queue;
import org.jocl.cl_context;
import org.jocl.cl_context_properties;
import org.jocl.cl_device_id;
import org.jocl.cl_kernel;
import org.jocl.cl_mem;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.jocl.CL.*;

/**
 * The Backend on an OpenCL device through JOCL. Matrices are cl_mem buffers of float, or of
 * double at {@link Precision#FLOAT64}; each op is one kernel from kernels/*.cl, compiled at
 * construction with the element type, tile and work-group sizes chosen for the device. Only
 * upload, download, gather indices and the scalars of losses and counts cross to or from the
 * host, and {@link #transfers()} counts every such copy. Not thread-safe.
 */
public final class OpenClBackend implements Backend {

    /** Work-groups a loss reduction uses at most: the host then adds that many partial sums. */
    private static final int MAX_REDUCTION_GROUPS = 64;

    private final DeviceInfo device;
    private final Precision precision;
    /** Bytes of one matrix element: 4 (float) or 8 (double). */
    private final int realBytes;
    private final cl_context context;
    private final cl_command_queue queue;
    private final ClProgram gemm, elementwise, reduce;
    /** GEMM tile edge and outputs per work-item, and the reduction work-group size, for this device. */
    private final int tile, perItem, group;
    private final Set<ClMatrix> live = Collections.newSetFromMap(new IdentityHashMap<>());
    private final cl_mem partials, counter;
    private cl_mem indices;
    private int indexCapacity;
    private long liveBytes, transfers;
    private boolean closed;

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
        this.device = device;
        this.precision = precision;
        this.realBytes = precision == Precision.FLOAT64 ? Double.BYTES : Float.BYTES;
        requireOpenCl12(device);
        if (precision == Precision.FLOAT64 && !device.float64()) {
            throw new DeviceException(device.describe() + " has no float64 (cl_khr_fp64); use --precision float32");
        }
        String real = precision == Precision.FLOAT64 ? " -D PRECISION=64" : "";
        cl_context_properties props = new cl_context_properties();
        props.addProperty(CL_CONTEXT_PLATFORM, device.platformId());
        this.context = clCreateContext(props, 1, new cl_device_id[] {device.deviceId()}, null, null, null);
        long maxGroup = device.maxWorkGroupSize();
        this.group = (int) Math.min(256, Long.highestOneBit(Math.max(1, maxGroup)));
        List<ClProgram> built = new ArrayList<>();
        cl_command_queue q = null;
        cl_mem p = null, n = null;
        try {
            q = clCreateCommandQueue(context, device.deviceId(), 0, null);
            // 32 x 32 tiles, 8 outputs per work-item (128 work-items), if the device allows.
            int ts = 32, wpt = 8;
            while (ts > 1 && (long) ts * ts / wpt > maxGroup) {
                ts /= 2;
                wpt = Math.max(1, wpt / 2);
            }
            ClProgram g = build(sources, "gemm.cl", gemmOptions(ts, wpt) + real, built);
            while (ts > 1 && g.maxWorkGroupSize("gemm") < (long) ts * ts / wpt) {
                // Fallback configuration: this device runs the GEMM kernel only with smaller work-groups.
                built.remove(g);
                g.close();
                ts /= 2;
                wpt = Math.max(1, wpt / 2);
                g = build(sources, "gemm.cl", gemmOptions(ts, wpt) + real, built);
            }
            this.tile = ts;
            this.perItem = wpt;
            this.gemm = g;
            this.elementwise = build(sources, "elementwise.cl", "-cl-std=CL1.2" + real, built);
            this.reduce = build(sources, "reduce.cl", "-cl-std=CL1.2 -D WG=" + group + real, built);
            for (String kernel : GROUP_KERNELS) requireGroupSize(reduce, kernel);
            p = clCreateBuffer(context, CL_MEM_READ_WRITE, (long) MAX_REDUCTION_GROUPS * realBytes, null, null);
            n = clCreateBuffer(context, CL_MEM_READ_WRITE, Integer.BYTES, null, null);
        } catch (RuntimeException e) {
            for (cl_mem m : new cl_mem[] {p, n}) {
                if (m != null) clReleaseMemObject(m);
            }
            built.forEach(ClProgram::close);
            if (q != null) clReleaseCommandQueue(q);
            clReleaseContext(context);
            throw e;
        }
        this.queue = q;
        this.partials = p;
        this.counter = n;
    }

    /** The reduction kernels, all launched with work-groups of exactly `group` items. */
    private static final List<String> GROUP_KERNELS = List.of("squared_error_partials", "cross_entropy_partials",
            "binary_cross_entropy_partials", "column_sums", "softmax_rows", "argmax_rows", "count_correct");

    /** The kernels use OpenCL 1.2 (-cl-std=CL1.2, clEnqueueFillBuffer): say so, not "the kernel failed to build". */
    private static void requireOpenCl12(DeviceInfo device) {
        Matcher v = Pattern.compile("OpenCL (\\d+)\\.(\\d+)").matcher(device.version());
        if (v.find() && Integer.parseInt(v.group(1)) * 10 + Integer.parseInt(v.group(2)) < 12) {
            throw new DeviceException(device.describe() + " supports " + device.version().strip()
                    + "; handnet's kernels need OpenCL 1.2 or newer");
        }
    }

    private static String gemmOptions(int ts, int wpt) {
        return "-cl-std=CL1.2 -D TS=" + ts + " -D WPT=" + wpt;
    }

    private ClProgram build(KernelSources sources, String file, String options, List<ClProgram> built) {
        ClProgram p = ClProgram.build(context, device, sources, file, options);
        built.add(p);
        return p;
    }

    private void requireGroupSize(ClProgram program, String kernel) {
        long max = program.maxWorkGroupSize(kernel);
        if (max < group) {
            throw new DeviceException(device.describe() + " runs kernel " + kernel
                    + " with work-groups of at most " + max + ", but it was built for " + group);
        }
    }

    @Override
    public String name() {
        return "opencl " + device.spec() + " " + device.describe() + (precision == Precision.FLOAT64 ? ", float64" : "");
    }

    @Override
    public Precision precision() {
        return precision;
    }

    /** Bytes of one element, float or double. */
    int realBytes() {
        return realBytes;
    }

    /** A real scalar kernel argument, as the kernels' {@code real} type. */
    private Object real(double v) {
        return precision == Precision.FLOAT64 ? (Object) v : (Object) (float) v;
    }

    public DeviceInfo device() {
        return device;
    }

    // ---- memory ----------------------------------------------------------------------------

    @Override
    public Matrix allocate(int rows, int cols) {
        Shapes.requireValidShape(rows, cols);
        Math.multiplyExact(rows, cols);
        long bytes = Math.max(1L, (long) rows * cols) * realBytes;
        requireOpen();
        cl_mem mem = clCreateBuffer(context, CL_MEM_READ_WRITE, bytes, null, null);
        try {
            clEnqueueFillBuffer(queue, mem, Pointer.to(new byte[realBytes]), realBytes, 0, bytes, 0, null, null);
        } catch (RuntimeException e) {
            clReleaseMemObject(mem);
            throw e;
        }
        ClMatrix m = new ClMatrix(this, rows, cols, mem);
        live.add(m);
        liveBytes += bytes;
        return m;
    }

    @Override
    public Matrix upload(int rows, int cols, float[] data) {
        Shapes.requireLength(rows, cols, data.length);
        if (precision == Precision.FLOAT32) return write(rows, cols, Pointer.to(data));
        double[] widened = new double[data.length];
        for (int i = 0; i < data.length; i++) widened[i] = data[i];
        return write(rows, cols, Pointer.to(widened));
    }

    /** At float32, rounds each value to float, as every float32 backend does. */
    @Override
    public Matrix upload(int rows, int cols, double[] data) {
        if (precision == Precision.FLOAT32) return Backend.super.upload(rows, cols, data);
        Shapes.requireLength(rows, cols, data.length);
        return write(rows, cols, Pointer.to(data));
    }

    /** A new (rows, cols) matrix holding the rows * cols reals at host. */
    private ClMatrix write(int rows, int cols, Pointer host) {
        ClMatrix m = (ClMatrix) allocate(rows, cols);
        if (m.size() > 0) {
            clEnqueueWriteBuffer(queue, m.mem, CL_TRUE, 0, m.size() * realBytes, host, 0, null, null);
            transfers++;
        }
        return m;
    }

    @Override
    public float[] download(Matrix matrix) {
        ClMatrix m = own(matrix);
        float[] out = new float[(int) m.size()];
        if (precision == Precision.FLOAT32) {
            if (out.length > 0) read(m.mem, Pointer.to(out), (long) out.length * Float.BYTES);
            return out;
        }
        double[] values = readReals(m.mem, out.length);
        for (int i = 0; i < out.length; i++) out[i] = (float) values[i];
        return out;
    }

    @Override
    public double[] downloadDoubles(Matrix matrix) {
        ClMatrix m = own(matrix);
        return readReals(m.mem, (int) m.size());
    }

    /** The first n reals of mem, float or double, as doubles. */
    private double[] readReals(cl_mem mem, int n) {
        double[] out = new double[n];
        if (n == 0) return out;
        if (precision == Precision.FLOAT64) {
            read(mem, Pointer.to(out), (long) n * Double.BYTES);
            return out;
        }
        float[] values = new float[n];
        read(mem, Pointer.to(values), (long) n * Float.BYTES);
        for (int i = 0; i < n; i++) out[i] = values[i];
        return out;
    }

    private void read(cl_mem mem, Pointer to, long bytes) {
        clEnqueueReadBuffer(queue, mem, CL_TRUE, 0, bytes, to, 0, null, null);
        transfers++;
    }

    /** Host-device copies so far: uploads, downloads, gather indices and scalar read-backs. */
    public long transfers() {
        return transfers;
    }

    /** Buffers allocated and not yet closed, and their bytes. */
    public int liveMatrices() {
        return live.size();
    }

    public long liveBytes() {
        return liveBytes;
    }

    // ---- linear algebra --------------------------------------------------------------------

    @Override
    public void gemm(boolean transA, boolean transB, double alpha, Matrix a, Matrix b, double beta, Matrix c) {
        ClMatrix ma = own(a), mb = own(b), mc = own(c);
        Shapes.requireGemm(transA, transB, a, b, c);
        int m = c.rows(), n = c.cols(), k = transA ? a.rows() : a.cols();
        if (m == 0 || n == 0) return;
        launch(gemm.kernel("gemm"), new long[] {roundUp(n, tile), roundUp(m, tile) / perItem},
                new long[] {tile, tile / perItem},
                m, n, k, transA ? 1 : 0, transB ? 1 : 0, real(alpha), ma, mb, real(beta), mc);
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
        elementwise("axpy", x, real(alpha), mx, my);
    }

    @Override
    public void gatherRows(Matrix src, int[] idx, Matrix out) {
        ClMatrix ms = own(src), mo = own(out);
        Shapes.requireGather(src, idx, out);
        if (idx.length == 0 || out.cols() == 0) return;
        if (idx.length > indexCapacity) {
            if (indices != null) clReleaseMemObject(indices);
            indices = null;
            indexCapacity = Math.max(idx.length, 2 * indexCapacity);
            indices = clCreateBuffer(context, CL_MEM_READ_ONLY, (long) indexCapacity * Integer.BYTES, null, null);
        }
        clEnqueueWriteBuffer(queue, indices, CL_TRUE, 0, (long) idx.length * Integer.BYTES, Pointer.to(idx), 0, null, null);
        transfers++;
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
        elementwise("difference_over_rows", y, real(y.rows()), my, mt, mo);
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
        for (double s : readReals(partials, groups)) total += s;
        return total / y.rows();
    }

    // ---- metrics ---------------------------------------------------------------------------

    @Override
    public int[] argmaxRows(Matrix x) {
        ClMatrix mx = own(x);
        int[] out = new int[x.rows()];
        if (x.rows() == 0) return out;
        cl_mem result = clCreateBuffer(context, CL_MEM_WRITE_ONLY, (long) x.rows() * Integer.BYTES, null, null);
        try {
            launch(reduce.kernel("argmax_rows"), new long[] {(long) x.rows() * group}, new long[] {group}, x.cols(), mx, result);
            read(result, Pointer.to(out), (long) out.length * Integer.BYTES);
        } finally {
            clReleaseMemObject(result);
        }
        return out;
    }

    @Override
    public int countCorrect(Matrix scores, Matrix targets) {
        ClMatrix ms = own(scores), mt = own(targets);
        Shapes.requireSameShape("countCorrect", scores, targets);
        if (scores.rows() == 0) return 0;
        clEnqueueFillBuffer(queue, counter, Pointer.to(new int[] {0}), Integer.BYTES, 0, Integer.BYTES, 0, null, null);
        launch(reduce.kernel("count_correct"), new long[] {(long) scores.rows() * group}, new long[] {group},
                scores.cols(), ms, mt, counter);
        int[] count = new int[1];
        read(counter, Pointer.to(count), Integer.BYTES);
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
        launch(elementwise.kernel(kernel), new long[] {roundUp(n, 64)}, null, all);
    }

    /** Sets the arguments (Integer, Float, Double, ClMatrix or cl_mem) and enqueues the kernel. */
    private void launch(cl_kernel kernel, long[] global, long[] local, Object... args) {
        for (int i = 0; i < args.length; i++) {
            Object a = args[i];
            if (a instanceof Integer v) clSetKernelArg(kernel, i, Sizeof.cl_int, Pointer.to(new int[] {v}));
            else if (a instanceof Float v) clSetKernelArg(kernel, i, Sizeof.cl_float, Pointer.to(new float[] {v}));
            else if (a instanceof Double v) clSetKernelArg(kernel, i, Sizeof.cl_double, Pointer.to(new double[] {v}));
            else if (a instanceof ClMatrix m) clSetKernelArg(kernel, i, Sizeof.cl_mem, Pointer.to(m.mem));
            else clSetKernelArg(kernel, i, Sizeof.cl_mem, Pointer.to((cl_mem) a));
        }
        clEnqueueNDRangeKernel(queue, kernel, global.length, null, global, local, 0, null, null);
    }

    private static long roundUp(long n, long multiple) {
        return (n + multiple - 1) / multiple * multiple;
    }

    // ---- lifetime --------------------------------------------------------------------------

    private ClMatrix own(Matrix m) {
        return DeviceMatrix.owned(this, ClMatrix.class, m);
    }

    void release(ClMatrix m) {
        if (m.mem == null) return;
        clReleaseMemObject(m.mem);
        m.mem = null;
        live.remove(m);
        liveBytes -= m.bytes();
    }

    private void requireOpen() {
        if (closed) throw new IllegalStateException(name() + " is closed");
    }

    /** Releases everything once; a second close does nothing. */
    @Override
    public void close() {
        if (closed) return;
        closed = true;
        for (ClMatrix m : List.copyOf(live)) release(m);
        if (indices != null) clReleaseMemObject(indices);
        indices = null;
        clReleaseMemObject(partials);
        clReleaseMemObject(counter);
        for (ClProgram p : List.of(gemm, elementwise, reduce)) p.close();
        clReleaseCommandQueue(queue);
        clReleaseContext(context);
    }
}
