package dev.handnet.backend;

import dev.handnet.backend.opencl.ClErrors;
import dev.handnet.backend.opencl.DeviceInfo;
import dev.handnet.backend.opencl.KernelBuildException;
import dev.handnet.backend.opencl.KernelSources;
import dev.handnet.backend.opencl.OpenClBackend;
import dev.handnet.backend.opencl.OpenClDevices;
import org.jocl.CL;
import org.jocl.CLException;

import java.util.Locale;

/**
 * A backend that injects one device fault into another, throwing exactly what a real OpenCL
 * device throws ({@link ClErrors}, {@link KernelBuildException}). Opened through its
 * {@link Provider} by the spec {@code faulty:<inner spec>:<fault>}, e.g.
 * {@code faulty:cpu:lost-after=200} or {@code faulty:opencl:0:0:alloc-limit=1000000}. Faults:
 * <ul>
 *   <li>{@code lost-after=N}: ops after the first N fail with CL_DEVICE_NOT_AVAILABLE, for good;
 *   <li>{@code resources-after=N}: likewise with CL_OUT_OF_RESOURCES (a kernel that faulted);
 *   <li>{@code alloc-limit=BYTES}: a matrix or index buffer above BYTES is refused as a device
 *       whose CL_DEVICE_MAX_MEM_ALLOC_SIZE is BYTES refuses it;
 *   <li>{@code build-fail}: opening fails as a kernel that does not compile: on an OpenCL inner
 *       device a really broken elementwise.cl, elsewhere the same exception with a made-up log.
 * </ul>
 * Every Backend method but name, precision and close counts as one op. {@link #last()} is the
 * most recently opened one, for tests that count ops.
 */
public final class FaultyBackend implements Backend {

    /** The spec prefix. */
    public static final String PREFIX = "faulty";

    private static volatile FaultyBackend last;

    private final Backend inner;
    private final String fault;
    private final long limit;
    private final int status;
    private long ops;
    private boolean failed;

    private FaultyBackend(Backend inner, String fault, long limit, int status) {
        this.inner = inner;
        this.fault = fault;
        this.limit = limit;
        this.status = status;
    }

    /** Opens {@code faulty:<inner spec>:<fault>} through {@link Backends}. */
    public static final class Provider implements BackendProvider {
        @Override
        public String prefix() {
            return PREFIX;
        }

        @Override
        public String describe() {
            return "another backend with an injected device fault (tests only): faulty:<device>:<fault>";
        }

        @Override
        public Backend open(String spec, Precision precision) {
            String rest = spec.substring(PREFIX.length() + 1);
            int colon = rest.lastIndexOf(':');
            if (colon < 0) throw new DeviceException("device '" + spec + "' is not faulty:<device>:<fault>");
            String innerSpec = rest.substring(0, colon), fault = rest.substring(colon + 1).toLowerCase(Locale.ROOT);
            if (fault.equals("build-fail")) throw buildFailure(innerSpec, precision);
            String[] kv = fault.split("=", 2);
            int status = switch (kv[0]) {
                case "lost-after" -> CL.CL_DEVICE_NOT_AVAILABLE;
                case "resources-after" -> CL.CL_OUT_OF_RESOURCES;
                case "alloc-limit" -> CL.CL_MEM_OBJECT_ALLOCATION_FAILURE;
                default -> throw new DeviceException("unknown fault '" + fault + "' in " + spec
                        + "; use lost-after=N, resources-after=N, alloc-limit=BYTES or build-fail");
            };
            FaultyBackend be = new FaultyBackend(Backends.open(innerSpec, precision), kv[0], Long.parseLong(kv[1]), status);
            last = be;
            return be;
        }
    }

    /** What opening innerSpec throws when a kernel does not compile. */
    private static DeviceException buildFailure(String innerSpec, Precision precision) {
        if (OpenClDevices.isSpec(innerSpec)) {
            DeviceInfo device = OpenClDevices.select(OpenClDevices.list(), innerSpec);
            KernelSources broken = file -> KernelSources.classpath().load(file)
                    + (file.equals("elementwise.cl") ? "\n__kernel void broken(__global real* out) { out[0] = undefined_name; }\n" : "");
            try (Backend unexpected = new OpenClBackend(device, precision, broken)) {
                return new DeviceException("the broken elementwise.cl compiled on " + unexpected.name());
            } catch (KernelBuildException e) {
                return e;
            }
        }
        String log = "<source>:2:47: error: use of undeclared identifier 'undefined_name'\n"
                + "__kernel void broken(__global real* out) { out[0] = undefined_name; }\n"
                + "                                              ^\n1 error generated.";
        return new KernelBuildException("elementwise.cl", "faulty " + innerSpec, "-cl-std=CL1.2", log,
                new CLException(CL.stringFor_errorCode(CL.CL_BUILD_PROGRAM_FAILURE), CL.CL_BUILD_PROGRAM_FAILURE));
    }

    /** The most recently opened faulty backend, or null. */
    public static FaultyBackend last() {
        return last;
    }

    /** Ops so far, the failed ones included. */
    public long ops() {
        return ops;
    }

    /** Counts an op; throws what the device would once the fault has struck. */
    private void op(String name) {
        ops++;
        if (fault.equals("alloc-limit")) return;
        if (failed || ops > limit) {
            failed = true;
            throw ClErrors.failure(name(), name, status, new CLException(CL.stringFor_errorCode(status), status));
        }
    }

    /** An allocation of rows x cols reals, refused above alloc-limit as a real device refuses it. */
    private void allocation(String name, int rows, int cols, long elementBytes) {
        op(name);
        if (fault.equals("alloc-limit")) {
            ClErrors.requireAllocatable(name(), "a (" + rows + ", " + cols + ") matrix",
                    Math.max(1L, (long) rows * cols) * elementBytes, limit, 0, Long.MAX_VALUE);
        }
    }

    private long realBytes() {
        return inner.precision() == Precision.FLOAT64 ? Double.BYTES : Float.BYTES;
    }

    @Override
    public String name() {
        return "faulty(" + fault + "=" + limit + ") " + inner.name();
    }

    @Override
    public Precision precision() {
        return inner.precision();
    }

    @Override
    public int liveMatrices() {
        return inner.liveMatrices();
    }

    @Override
    public Matrix allocate(int rows, int cols) {
        allocation("allocate", rows, cols, realBytes());
        return inner.allocate(rows, cols);
    }

    @Override
    public Matrix upload(int rows, int cols, float[] data) {
        allocation("upload", rows, cols, realBytes());
        return inner.upload(rows, cols, data);
    }

    @Override
    public Matrix upload(int rows, int cols, double[] data) {
        allocation("upload", rows, cols, realBytes());
        return inner.upload(rows, cols, data);
    }

    @Override
    public float[] download(Matrix m) {
        op("download");
        return inner.download(m);
    }

    @Override
    public double[] downloadDoubles(Matrix m) {
        op("downloadDoubles");
        return inner.downloadDoubles(m);
    }

    @Override
    public void gemm(boolean transA, boolean transB, double alpha, Matrix a, Matrix b, double beta, Matrix c) {
        op("gemm");
        inner.gemm(transA, transB, alpha, a, b, beta, c);
    }

    @Override
    public void addRowVector(Matrix x, Matrix bias) {
        op("addRowVector");
        inner.addRowVector(x, bias);
    }

    @Override
    public void sigmoid(Matrix z, Matrix out) {
        op("sigmoid");
        inner.sigmoid(z, out);
    }

    @Override
    public void biasSigmoid(Matrix z, Matrix bias, Matrix out) {
        op("biasSigmoid");
        inner.biasSigmoid(z, bias, out);
    }

    @Override
    public void sigmoidGradient(Matrix dA, Matrix s, Matrix dZ) {
        op("sigmoidGradient");
        inner.sigmoidGradient(dA, s, dZ);
    }

    @Override
    public void softmaxRows(Matrix z, Matrix out) {
        op("softmaxRows");
        inner.softmaxRows(z, out);
    }

    @Override
    public void logSigmoid(Matrix z, Matrix out) {
        op("logSigmoid");
        inner.logSigmoid(z, out);
    }

    @Override
    public void mseLoss(Matrix y, Matrix t, Matrix losses, int at) {
        op("mseLoss");
        inner.mseLoss(y, t, losses, at);
    }

    @Override
    public void mseGradient(Matrix y, Matrix t, Matrix dY) {
        op("mseGradient");
        inner.mseGradient(y, t, dY);
    }

    @Override
    public void crossEntropyLoss(Matrix p, Matrix t, Matrix losses, int at) {
        op("crossEntropyLoss");
        inner.crossEntropyLoss(p, t, losses, at);
    }

    @Override
    public void binaryCrossEntropyLoss(Matrix p, Matrix t, Matrix losses, int at) {
        op("binaryCrossEntropyLoss");
        inner.binaryCrossEntropyLoss(p, t, losses, at);
    }

    @Override
    public void softmaxCrossEntropyGradient(Matrix p, Matrix t, Matrix dZ) {
        op("softmaxCrossEntropyGradient");
        inner.softmaxCrossEntropyGradient(p, t, dZ);
    }

    @Override
    public void softmaxCrossEntropy(Matrix z, Matrix t, Matrix p, Matrix dZ, Matrix losses, int at) {
        op("softmaxCrossEntropy");
        inner.softmaxCrossEntropy(z, t, p, dZ, losses, at);
    }

    @Override
    public void columnSums(Matrix x, Matrix out) {
        op("columnSums");
        inner.columnSums(x, out);
    }

    @Override
    public void axpy(double alpha, Matrix x, Matrix y) {
        op("axpy");
        inner.axpy(alpha, x, y);
    }

    @Override
    public Indices uploadIndices(int[] indices) {
        allocation("uploadIndices", 1, indices.length, Integer.BYTES);
        return inner.uploadIndices(indices);
    }

    @Override
    public void gatherRows(Matrix src, Indices indices, int from, Matrix out) {
        op("gatherRows");
        inner.gatherRows(src, indices, from, out);
    }

    @Override
    public int[] argmaxRows(Matrix x) {
        op("argmaxRows");
        return inner.argmaxRows(x);
    }

    @Override
    public int countCorrect(Matrix scores, Matrix targets) {
        op("countCorrect");
        return inner.countCorrect(scores, targets);
    }

    /** Closes the inner backend, lost or not (a real device's memory is released either way). */
    @Override
    public void close() {
        inner.close();
    }
}
