package dev.handnet.backend.opencl;

import org.jocl.CLException;
import org.jocl.Pointer;
import org.jocl.cl_context;
import org.jocl.cl_device_id;
import org.jocl.cl_kernel;
import org.jocl.cl_program;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashMap;
import java.util.Map;

import static org.jocl.CL.*;

/** One kernel file compiled for one device with its -D options, and the kernels created from it. */
final class ClProgram implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ClProgram.class);

    private final cl_program program;
    private final cl_device_id device;
    /** The device as messages name it. */
    private final String deviceName;
    private final Map<String, cl_kernel> kernels = new HashMap<>();

    private ClProgram(cl_program program, DeviceInfo device) {
        this.program = program;
        this.device = device.deviceId();
        this.deviceName = device.spec() + " " + device.describe();
    }

    /** Defines {@code real}, the element type, from -D PRECISION; compiled in front of every kernel file. */
    static final String REAL = "real.cl";

    /**
     * Compiles {@link #REAL} then file's source, with line numbers restarted so the build log
     * counts file's lines; a failure carries the file, the device and the full build log (logged
     * whole at debug level, which --verbose turns on).
     */
    static ClProgram build(cl_context context, DeviceInfo device, KernelSources sources, String file, String options) {
        String source = sources.load(REAL) + "\n#line 1\n" + sources.load(file);
        cl_program program = clCreateProgramWithSource(context, 1, new String[] {source}, null, null);
        long start = System.nanoTime();
        try {
            clBuildProgram(program, 1, new cl_device_id[] {device.deviceId()}, options, null, null);
            log.debug("built kernels/{} for {} with options '{}' in {} ms", file, device.describe(), options,
                    (System.nanoTime() - start) / 1_000_000);
        } catch (CLException e) {
            String log;
            try {
                log = buildLog(program, device.deviceId());
            } catch (CLException logFailure) {
                log = "(the build log could not be read: " + logFailure.getMessage() + "; build status " + e.getMessage() + ")";
            } finally {
                clReleaseProgram(program);
            }
            ClProgram.log.debug("build log of kernels/{} for {}:\n{}", file, device.describe(), log);
            throw new KernelBuildException(file, device.describe(), options, log, e);
        }
        return new ClProgram(program, device);
    }

    private static String buildLog(cl_program program, cl_device_id device) {
        long[] size = new long[1];
        clGetProgramBuildInfo(program, device, CL_PROGRAM_BUILD_LOG, 0, null, size);
        byte[] log = new byte[(int) size[0]];
        clGetProgramBuildInfo(program, device, CL_PROGRAM_BUILD_LOG, log.length, Pointer.to(log), null);
        return new String(log, 0, Math.max(0, log.length - 1)).strip();
    }

    /** A kernel's function name, for messages; "a kernel" if the device cannot say. */
    static String name(cl_kernel kernel) {
        try {
            long[] size = new long[1];
            clGetKernelInfo(kernel, CL_KERNEL_FUNCTION_NAME, 0, null, size);
            byte[] name = new byte[(int) size[0]];
            clGetKernelInfo(kernel, CL_KERNEL_FUNCTION_NAME, name.length, Pointer.to(name), null);
            return new String(name, 0, Math.max(0, name.length - 1));
        } catch (CLException e) {
            return "a kernel";
        }
    }

    /** The kernel of that name, created on first use; an OpenCL error is a one-line DeviceException. */
    cl_kernel kernel(String name) {
        return kernels.computeIfAbsent(name, n -> {
            try {
                return clCreateKernel(program, n, null);
            } catch (CLException e) {
                throw ClErrors.failure(deviceName, "clCreateKernel(" + n + ")", e.getStatus(), e);
            }
        });
    }

    /** Kernels created from this program and not yet released. */
    int kernelCount() {
        return kernels.size();
    }

    /** The largest work-group this device runs the kernel with (may be below the device maximum). */
    long maxWorkGroupSize(String name) {
        long[] size = new long[1];
        clGetKernelWorkGroupInfo(kernel(name), device, CL_KERNEL_WORK_GROUP_SIZE, org.jocl.Sizeof.size_t,
                Pointer.to(size), null);
        return size[0];
    }

    /** Fails, naming the kernel and both sizes, unless the device runs kernel with work-groups of size items. */
    void requireGroupSize(String name, long size, DeviceInfo on) {
        long max = maxWorkGroupSize(name);
        if (max < size) {
            throw new dev.handnet.backend.DeviceException(on.describe() + " runs kernel " + name
                    + " with work-groups of at most " + max + ", but it was built for " + size);
        }
    }

    @Override
    public void close() {
        kernels.values().forEach(k -> clReleaseKernel(k));
        kernels.clear();
        clReleaseProgram(program);
    }
}
