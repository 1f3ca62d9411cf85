package dev.handnet.backend.opencl;

import dev.handnet.backend.DeviceException;
import dev.handnet.backend.Precision;
import org.jocl.CLException;
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
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

import static org.jocl.CL.*;

/**
 * What runs kernels on one OpenCL device, apart from what they compute: the context and its
 * one in-order queue, kernel programs compiled for the device, zero-filled buffers and the
 * matrices that own them, host copies counted in {@link #transfers()}, and {@link #launch}.
 * {@link OpenClBackend} holds one and adds the ops. Too large a buffer, and an OpenCL error in
 * an op, are one-line DeviceExceptions ({@link ClErrors}). Not thread-safe.
 */
final class ClRuntime implements AutoCloseable {

    final DeviceInfo device;
    final Precision precision;
    /** Bytes of one matrix element: 4 (float) or 8 (double). */
    final int realBytes;
    private final long maxAlloc;   // CL_DEVICE_MAX_MEM_ALLOC_SIZE: the largest buffer
    private final KernelSources sources;
    private final cl_context context;
    private final cl_command_queue queue;
    private final List<ClProgram> programs = new ArrayList<>();
    /** Every buffer not yet freed with its bytes, and the matrices among their owners. */
    private final Map<cl_mem, Long> buffers = new IdentityHashMap<>();
    private final Set<ClMatrix> live = Collections.newSetFromMap(new IdentityHashMap<>());
    private long liveBytes, bufferBytes, transfers;
    /** 1 from creation until close released it, for {@link #liveObjects}. */
    private int queues, contexts;
    private boolean closed;

    ClRuntime(DeviceInfo device, Precision precision, KernelSources sources) {
        device.requireOpenCl12();
        if (precision == Precision.FLOAT64 && !device.float64()) {
            throw new DeviceException(device.describe() + " has no float64 (cl_khr_fp64); use --precision float32");
        }
        this.device = device;
        this.precision = precision;
        this.realBytes = precision == Precision.FLOAT64 ? Double.BYTES : Float.BYTES;
        this.sources = sources;
        this.maxAlloc = OpenClDevices.deviceLong(device.deviceId(), CL_DEVICE_MAX_MEM_ALLOC_SIZE);
        org.slf4j.LoggerFactory.getLogger(ClRuntime.class).debug("opening {} in {}", device.details(maxAlloc), precision);
        cl_context_properties props = new cl_context_properties();
        props.addProperty(CL_CONTEXT_PLATFORM, device.platformId());
        this.context = clCreateContext(props, 1, new cl_device_id[] {device.deviceId()}, null, null, null);
        try {
            this.queue = clCreateCommandQueue(context, device.deviceId(), 0, null);
            contexts = queues = 1;
        } catch (RuntimeException e) {
            clReleaseContext(context);
            throw e;
        }
    }

    // ---- programs ----------------------------------------------------------------------------

    /** kernels/file compiled for this device and precision with -D options; released at close unless dropped. */
    ClProgram compile(String file, String options) {
        requireOpen();
        String all = "-cl-std=CL1.2" + (precision == Precision.FLOAT64 ? " -D PRECISION=64" : "")
                + (options.isEmpty() ? "" : " " + options);
        ClProgram p = ClProgram.build(context, device, sources, file, all);
        programs.add(p);
        return p;
    }

    /** Releases a program compiled here now, not at close. */
    void drop(ClProgram p) {
        programs.remove(p);
        p.close();
    }

    // ---- memory --------------------------------------------------------------------------------

    /** A new zero-filled buffer of at least one byte (OpenCL has no empty buffers), freed at close if not before. */
    cl_mem buffer(long bytes) {
        return buffer(bytes, "a buffer");
    }

    /** As {@link #buffer(long)}; what names it if it is larger than the device allows. */
    private cl_mem buffer(long bytes, String what) {
        requireOpen();
        long size = Math.max(1, bytes);
        ClErrors.requireAllocatable(deviceName(), what, size, maxAlloc, liveBytes, device.globalMemory());
        cl_mem mem = cl("clCreateBuffer", () -> clCreateBuffer(context, CL_MEM_READ_WRITE, size, null, null));
        buffers.put(mem, size);
        bufferBytes += size;
        zero(mem, size);
        return mem;
    }

    void free(cl_mem mem) {
        Long bytes = buffers.remove(mem);
        if (bytes == null) return;
        bufferBytes -= bytes;
        cl("clReleaseMemObject", () -> clReleaseMemObject(mem));
    }

    /** A new zero-filled (rows, cols) matrix of reals, counted live until closed. */
    ClMatrix matrix(OpenClBackend owner, int rows, int cols) {
        ClMatrix m = new ClMatrix(owner, this, rows, cols,
                buffer(Math.max(1L, (long) rows * cols) * realBytes, "a (" + rows + ", " + cols + ") matrix"));
        live.add(m);
        liveBytes += m.bytes();
        return m;
    }

    void release(ClMatrix m) {
        if (m.mem == null) return;
        free(m.mem);
        m.mem = null;
        live.remove(m);
        liveBytes -= m.bytes();
    }

    int liveMatrices() {
        return live.size();
    }

    long liveBytes() {
        return liveBytes;
    }

    /** The OpenCL objects made here and not yet released: all zero after {@link #close}. */
    ClObjects liveObjects() {
        int kernels = programs.stream().mapToInt(ClProgram::kernelCount).sum();
        return new ClObjects(buffers.size(), bufferBytes, kernels, programs.size(), queues, contexts);
    }

    // ---- copies --------------------------------------------------------------------------------

    /** Blocking copy of bytes from host into mem; one transfer. */
    void write(cl_mem mem, Pointer host, long bytes) {
        cl("clEnqueueWriteBuffer", () -> clEnqueueWriteBuffer(queue, mem, CL_TRUE, 0, bytes, host, 0, null, null));
        transfers++;
    }

    /** Blocking copy of mem's first bytes to host, after every kernel enqueued before it; one transfer. */
    void read(cl_mem mem, Pointer host, long bytes) {
        cl("clEnqueueReadBuffer", () -> clEnqueueReadBuffer(queue, mem, CL_TRUE, 0, bytes, host, 0, null, null));
        transfers++;
    }

    /** data into m as reals: float as is, or widened to double; returns m. */
    ClMatrix writeReals(ClMatrix m, float[] data) {
        if (data.length > 0) write(m.mem, realBytes == Float.BYTES ? Pointer.to(data) : Pointer.to(widen(data)),
                (long) data.length * realBytes);
        return m;
    }

    /** data into m as reals: double as is, or each value rounded to float; returns m. */
    ClMatrix writeReals(ClMatrix m, double[] data) {
        if (data.length > 0) write(m.mem, realBytes == Double.BYTES ? Pointer.to(data) : Pointer.to(round(data)),
                (long) data.length * realBytes);
        return m;
    }

    /** A new buffer holding values (one upload). */
    cl_mem ints(int[] values) {
        cl_mem mem = buffer((long) values.length * Integer.BYTES);
        if (values.length > 0) write(mem, Pointer.to(values), (long) values.length * Integer.BYTES);
        return mem;
    }

    /** The first n ints of mem (one read). */
    int[] readInts(cl_mem mem, int n) {
        int[] out = new int[n];
        if (n > 0) read(mem, Pointer.to(out), (long) n * Integer.BYTES);
        return out;
    }

    /** The first n reals of mem, rounded to float at float64. */
    float[] readFloats(cl_mem mem, int n) {
        if (precision == Precision.FLOAT64) return round(readDoubles(mem, n));
        float[] out = new float[n];
        if (n > 0) read(mem, Pointer.to(out), (long) n * Float.BYTES);
        return out;
    }

    /** The first n reals of mem as doubles. */
    double[] readDoubles(cl_mem mem, int n) {
        if (precision == Precision.FLOAT32) return widen(readFloats(mem, n));
        double[] out = new double[n];
        if (n > 0) read(mem, Pointer.to(out), (long) n * Double.BYTES);
        return out;
    }

    private static double[] widen(float[] values) {
        return java.util.stream.IntStream.range(0, values.length).mapToDouble(i -> values[i]).toArray();
    }

    private static float[] round(double[] values) {
        float[] out = new float[values.length];
        for (int i = 0; i < values.length; i++) out[i] = (float) values[i];
        return out;
    }

    /**
     * Sets mem's first bytes to zero on the device (no transfer), in the widest pattern OpenCL
     * allows that divides bytes (up to 128): a scalar total or counter is filled by one store,
     * which oclgrind's uninitialised-value check needs (it takes each store of a fill as the
     * whole buffer, so after 1-byte stores it saw total[0] as uninitialised).
     */
    void zero(cl_mem mem, long bytes) {
        int pattern = (int) Math.min(128, Long.lowestOneBit(bytes));
        cl("clEnqueueFillBuffer", () -> clEnqueueFillBuffer(queue, mem, Pointer.to(new byte[pattern]), pattern, 0, bytes,
                0, null, null));
    }

    /** Host-device copies so far, each one a wait for the device. */
    long transfers() {
        return transfers;
    }

    /** Waits until every enqueued command has finished. */
    void finish() {
        cl("clFinish", () -> clFinish(queue));
    }

    // ---- launches ------------------------------------------------------------------------------

    /** A real scalar kernel argument, as the kernels' {@code real} type. */
    Object real(double v) {
        return precision == Precision.FLOAT64 ? (Object) v : (Object) (float) v;
    }

    /**
     * Sets the arguments (Integer, Float, Double, ClMatrix or cl_mem) and enqueues the kernel
     * over global work-items in groups of local (null: the driver chooses).
     */
    void launch(cl_kernel kernel, long[] global, long[] local, Object... args) {
        try {
            for (int i = 0; i < args.length; i++) {
                Object a = args[i];
                if (a instanceof Integer v) clSetKernelArg(kernel, i, Sizeof.cl_int, Pointer.to(new int[] {v}));
                else if (a instanceof Float v) clSetKernelArg(kernel, i, Sizeof.cl_float, Pointer.to(new float[] {v}));
                else if (a instanceof Double v) clSetKernelArg(kernel, i, Sizeof.cl_double, Pointer.to(new double[] {v}));
                else if (a instanceof ClMatrix m) clSetKernelArg(kernel, i, Sizeof.cl_mem, Pointer.to(m.mem));
                else clSetKernelArg(kernel, i, Sizeof.cl_mem, Pointer.to((cl_mem) a));
            }
            clEnqueueNDRangeKernel(queue, kernel, global.length, null, global, local, 0, null, null);
        } catch (CLException e) {
            throw ClErrors.failure(deviceName(), "kernel " + ClProgram.name(kernel), e.getStatus(), e);
        }
    }

    /** f's result, or the OpenCL error it threw as a one-line DeviceException naming the device and call. */
    private <T> T cl(String call, Supplier<T> f) {
        try {
            return f.get();
        } catch (CLException e) {
            throw ClErrors.failure(deviceName(), call, e.getStatus(), e);
        }
    }

    /** The device as messages name it: spec and description. */
    String deviceName() {
        return device.spec() + " " + device.describe();
    }

    // ---- lifetime ------------------------------------------------------------------------------

    void requireOpen() {
        if (closed) throw new IllegalStateException("the OpenCL runtime on " + device.describe() + " is closed");
    }

    /** Releases every matrix and buffer, every program, the queue and the context, once. */
    @Override
    public void close() {
        if (closed) return;
        closed = true;
        for (ClMatrix m : List.copyOf(live)) release(m);
        for (cl_mem mem : List.copyOf(buffers.keySet())) free(mem);
        for (ClProgram p : List.copyOf(programs)) drop(p);
        clReleaseCommandQueue(queue);
        queues = 0;
        clReleaseContext(context);
        contexts = 0;
    }
}
