package dev.handnet.backend.opencl;

import dev.handnet.backend.Backend;
import dev.handnet.backend.DeviceMatrix;
import dev.handnet.backend.Indices;
import dev.handnet.backend.Matrix;
import dev.handnet.backend.Precision;
import dev.handnet.backend.Shapes;
import org.jocl.cl_mem;

/**
 * The Backend on an OpenCL device through JOCL: one short method per op, each launching one
 * kernel of kernels/*.cl through the device's {@link ClRuntime} (context, queue, buffers,
 * copies, launches). Matrices are cl_mem buffers of float, or of double at
 * {@link Precision#FLOAT64}. Only upload, download, gather indices and the scalars of losses
 * and counts cross to or from the host, and {@link #transfers()} counts every such copy.
 * Not thread-safe.
 */
public final class OpenClBackend implements Backend {

    private final ClRuntime rt;
    private final ClKernels kernels;
    /** Where countCorrect counts: one int. */
    private final cl_mem counter;

    /** float32 on device. */
    public OpenClBackend(DeviceInfo device) {
        this(device, Precision.FLOAT32);
    }

    /** FLOAT64 needs a device with double support ({@link DeviceInfo#float64()}). */
    public OpenClBackend(DeviceInfo device, Precision precision) {
        this(device, precision, KernelSources.classpath());
    }

    /** sources: where kernel text comes from (tests substitute a broken kernel). */
    public OpenClBackend(DeviceInfo device, Precision precision, KernelSources sources) {
        this.rt = new ClRuntime(device, precision, sources);
        try {
            this.kernels = new ClKernels(rt);
            this.counter = rt.buffer(Integer.BYTES);
        } catch (RuntimeException e) {
            rt.close();
            throw e;
        }
    }

    @Override
    public String name() {
        return "opencl " + rt.device.spec() + " " + rt.device.describe() + (rt.precision == Precision.FLOAT64 ? ", float64" : "");
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
        return kernels.gemm.describe();
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
        return rt.writeReals((ClMatrix) allocate(rows, cols), data);
    }

    /** At float32, rounds each value to float, as every float32 backend does. */
    @Override
    public Matrix upload(int rows, int cols, double[] data) {
        Shapes.requireLength(rows, cols, data.length);
        return rt.writeReals((ClMatrix) allocate(rows, cols), data);
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

    /** Host-device copies so far: uploads, downloads, gather indices and loss and count reads. */
    public long transfers() {
        return rt.transfers();
    }

    @Override
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
        if ((transA ? a.rows() : a.cols()) == 0) kernels.elementwise("scale", c.size(), rt.real(beta), mc);  // k = 0
        else if (c.size() > 0) kernels.gemm.run(transA, transB, alpha, ma, mb, beta, mc);
    }

    @Override
    public void addRowVector(Matrix x, Matrix bias) {
        ClMatrix mx = own(x), mb = own(bias);
        Shapes.requireRowVector("addRowVector", x, bias);
        kernels.grid("add_row_vector", x.cols(), x.rows(), mx, mb);
    }

    @Override
    public void columnSums(Matrix x, Matrix out) {
        ClMatrix mx = own(x), mo = own(out);
        Shapes.requireRowVector("columnSums", x, out);
        kernels.rows("column_sums", x.cols(), x.rows(), mx, mo);
    }

    @Override
    public void axpy(double alpha, Matrix x, Matrix y) {
        ClMatrix mx = own(x), my = own(y);
        Shapes.requireSameShape("axpy", x, y);
        elementwise("axpy", x, rt.real(alpha), mx, my);
    }

    @Override
    public Indices uploadIndices(int[] values) {
        return new ClIndices(this, rt, values, rt.ints(values));
    }

    @Override
    public void gatherRows(Matrix src, Indices indices, int from, Matrix out) {
        ClMatrix ms = own(src), mo = own(out);
        ClIndices mi = Indices.owned(this, ClIndices.class, indices);
        Shapes.requireGather(src, indices, from, out);
        kernels.grid("gather_rows", out.cols(), out.rows(), ms, mi.mem, from, mo);
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
        kernels.grid("bias_sigmoid", z.cols(), z.rows(), mz, mb, mo);
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
        kernels.rows("softmax_rows", z.rows(), z.cols(), mz, mo);
    }

    // ---- losses: each adds into a column of a row on the device --------------------------------

    @Override
    public void mseLoss(Matrix y, Matrix t, Matrix losses, int at) {
        addLoss("mseLoss", "squared_error_total", 0.5, y, t, losses, at);
    }

    @Override
    public void mseGradient(Matrix y, Matrix t, Matrix dY) {
        differenceOverRows("mseGradient", y, t, dY);
    }

    @Override
    public void crossEntropyLoss(Matrix p, Matrix t, Matrix losses, int at) {
        addLoss("crossEntropyLoss", "cross_entropy_total", 1, p, t, losses, at);
    }

    @Override
    public void binaryCrossEntropyLoss(Matrix p, Matrix t, Matrix losses, int at) {
        addLoss("binaryCrossEntropyLoss", "binary_cross_entropy_total", 1, p, t, losses, at);
    }

    @Override
    public void softmaxCrossEntropyGradient(Matrix p, Matrix t, Matrix dZ) {
        differenceOverRows("softmaxCrossEntropyGradient", p, t, dZ);
    }

    @Override
    public void softmaxCrossEntropy(Matrix z, Matrix t, Matrix p, Matrix dZ, Matrix losses, int at) {
        ClMatrix mz = own(z), mt = own(t), mp = own(p), mdz = own(dZ), ml = own(losses);
        Shapes.requireSameShape("softmaxCrossEntropy", z, t);
        Shapes.requireSameShape("softmaxCrossEntropy", t, p);
        Shapes.requireSameShape("softmaxCrossEntropy", p, dZ);
        Shapes.requireLossAt("softmaxCrossEntropy", losses, at);
        if (z.size() == 0) return;
        kernels.perGroup("softmax_cross_entropy", 1, z.rows(), z.cols(), mz, mt, mp, mdz, ml, at);
    }

    private void differenceOverRows(String op, Matrix y, Matrix t, Matrix out) {
        ClMatrix my = own(y), mt = own(t), mo = own(out);
        Shapes.requireSameShape(op, y, t);
        Shapes.requireSameShape(op, t, out);
        elementwise("difference_over_rows", y, rt.real(y.rows()), my, mt, mo);
    }

    /** losses[at] += (factor / m) * sum of the kernel's per-entry terms over y, t: (m, n); one work-group. */
    private void addLoss(String op, String kernel, double factor, Matrix y, Matrix t, Matrix losses, int at) {
        ClMatrix my = own(y), mt = own(t), ml = own(losses);
        Shapes.requireSameShape(op, y, t);
        Shapes.requireLossAt(op, losses, at);
        if (y.size() == 0) return;
        kernels.perGroup(kernel, 1, (int) y.size(), rt.real(factor / y.rows()), my, mt, ml, at);
    }

    // ---- metrics ---------------------------------------------------------------------------

    @Override
    public int[] argmaxRows(Matrix x) {
        ClMatrix mx = own(x);
        if (x.rows() == 0) return new int[0];
        cl_mem result = rt.buffer((long) x.rows() * Integer.BYTES);
        try {
            kernels.rows("argmax_rows", x.rows(), x.cols(), mx, result);
            return rt.readInts(result, x.rows());
        } finally {
            rt.free(result);
        }
    }

    @Override
    public int countCorrect(Matrix scores, Matrix targets) {
        ClMatrix ms = own(scores), mt = own(targets);
        Shapes.requireSameShape("countCorrect", scores, targets);
        if (scores.rows() == 0) return 0;
        rt.zero(counter, Integer.BYTES);
        kernels.rows("count_correct", scores.rows(), scores.cols(), ms, mt, counter);
        return rt.readInts(counter, 1)[0];
    }

    // ---- launching -------------------------------------------------------------------------

    /** An elementwise.cl kernel, one work-item per element of shape: (n, args...). */
    private void elementwise(String kernel, Matrix shape, Object... args) {
        kernels.elementwise(kernel, shape.size(), args);
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
