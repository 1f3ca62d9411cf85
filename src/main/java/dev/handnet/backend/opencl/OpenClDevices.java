package dev.handnet.backend.opencl;

import dev.handnet.backend.DeviceException;
import org.jocl.CL;
import org.jocl.CLException;
import org.jocl.Pointer;
import org.jocl.Sizeof;
import org.jocl.cl_device_id;
import org.jocl.cl_platform_id;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

import static org.jocl.CL.*;

/** Finds OpenCL platforms and devices through JOCL, explaining what is missing when none can be found. */
public final class OpenClDevices {

    public static final String HOW_TO_INSTALL = "install your GPU's OpenCL driver, or PoCL for a CPU device"
            + " (Debian: apt-get install -y pocl-opencl-icd ocl-icd-libopencl1 ocl-icd-opencl-dev clinfo)";

    private OpenClDevices() {
    }

    /** Every device of every platform; empty when the ICD loader finds no platform. */
    public static List<DeviceInfo> list() {
        loadLibrary();
        try {
            return listDevices();
        } catch (CLException e) {
            if (e.getStatus() == CL_PLATFORM_NOT_FOUND_KHR) return List.of();
            throw new DeviceException("OpenCL failed while listing devices: " + e.getMessage(), e);
        }
    }

    private static List<DeviceInfo> listDevices() {
        int[] count = new int[1];
        clGetPlatformIDs(0, null, count);
        if (count[0] == 0) return List.of();
        cl_platform_id[] platforms = new cl_platform_id[count[0]];
        clGetPlatformIDs(count[0], platforms, null);
        List<DeviceInfo> devices = new ArrayList<>();
        for (int p = 0; p < platforms.length; p++) {
            cl_device_id[] ids = deviceIds(platforms[p]);
            for (int d = 0; d < ids.length; d++) devices.add(describe(p, d, platforms[p], ids[d]));
        }
        return devices;
    }

    /** A platform's devices; none for a platform without any (an ICD with no supported hardware). */
    private static cl_device_id[] deviceIds(cl_platform_id platform) {
        try {
            int[] n = new int[1];
            clGetDeviceIDs(platform, CL_DEVICE_TYPE_ALL, 0, null, n);
            cl_device_id[] ids = new cl_device_id[n[0]];
            if (n[0] > 0) clGetDeviceIDs(platform, CL_DEVICE_TYPE_ALL, n[0], ids, null);
            return ids;
        } catch (CLException e) {
            if (e.getStatus() == CL_DEVICE_NOT_FOUND) return new cl_device_id[0];
            throw e;
        }
    }

    /** The device auto picks: the GPU with the most compute units, if there is one. */
    public static Optional<DeviceInfo> bestGpu(List<DeviceInfo> devices) {
        return devices.stream().filter(DeviceInfo::gpu).max(Comparator.comparingInt(DeviceInfo::computeUnits));
    }

    /** The device plain {@code opencl} picks: the best GPU, else the first device. */
    public static DeviceInfo best(List<DeviceInfo> devices) {
        if (devices.isEmpty()) throw new DeviceException("no OpenCL platform found: " + HOW_TO_INSTALL);
        return bestGpu(devices).orElse(devices.get(0));
    }

    /** Whether spec names an OpenCL device: {@code opencl} or {@code opencl:P:D}. */
    public static boolean isSpec(String spec) {
        return spec.equals("opencl") || spec.matches("opencl:\\d+:\\d+");
    }

    /** The device an {@link #isSpec} spec names: the best for {@code opencl}, else {@code opencl:P:D}. */
    public static DeviceInfo select(List<DeviceInfo> devices, String spec) {
        if (!isSpec(spec)) throw new IllegalArgumentException("not an OpenCL device spec: " + spec);
        if (spec.equals("opencl")) return best(devices);
        String[] parts = spec.split(":");
        return find(devices, Integer.parseInt(parts[1]), Integer.parseInt(parts[2]));
    }

    /** The device {@code opencl:P:D} names. */
    public static DeviceInfo find(List<DeviceInfo> devices, int platform, int device) {
        return devices.stream().filter(d -> d.platform() == platform && d.device() == device).findFirst()
                .orElseThrow(() -> new DeviceException("no OpenCL device opencl:" + platform + ":" + device
                        + (devices.isEmpty() ? "; no OpenCL platform found: " + HOW_TO_INSTALL
                        : "; 'handnet devices' lists the " + devices.size() + " there are")));
    }

    /** Loads JOCL's native library, which needs the OpenCL ICD loader libOpenCL.so. */
    static void loadLibrary() {
        try {
            CL.setExceptionsEnabled(true);
        } catch (LinkageError e) {
            throw new DeviceException("cannot load OpenCL (" + e.getMessage() + "): libOpenCL.so, the ICD loader,"
                    + " is missing or not on the library path; " + HOW_TO_INSTALL, e);
        }
    }

    private static DeviceInfo describe(int p, int d, cl_platform_id platform, cl_device_id id) {
        long type = deviceLong(id, CL_DEVICE_TYPE);
        boolean gpu = (type & CL_DEVICE_TYPE_GPU) != 0;
        String typeName = gpu ? "GPU" : (type & CL_DEVICE_TYPE_CPU) != 0 ? "CPU"
                : (type & CL_DEVICE_TYPE_ACCELERATOR) != 0 ? "accelerator" : "other";
        return new DeviceInfo(p, d, platformString(platform, CL_PLATFORM_NAME), deviceString(id, CL_DEVICE_NAME),
                deviceString(id, CL_DEVICE_VENDOR), gpu, typeName, (int) deviceInt(id, CL_DEVICE_MAX_COMPUTE_UNITS),
                deviceLong(id, CL_DEVICE_GLOBAL_MEM_SIZE), deviceLong(id, CL_DEVICE_LOCAL_MEM_SIZE),
                deviceSize(id, CL_DEVICE_MAX_WORK_GROUP_SIZE), deviceString(id, CL_DEVICE_VERSION),
                deviceString(id, CL_DRIVER_VERSION), float64(id),
                platform, id);
    }

    /** cl_khr_fp64, or double as OpenCL 1.2's optional core feature: a nonzero CL_DEVICE_DOUBLE_FP_CONFIG. */
    private static boolean float64(cl_device_id id) {
        if (List.of(deviceString(id, CL_DEVICE_EXTENSIONS).split(" ")).contains("cl_khr_fp64")) return true;
        try {
            return deviceLong(id, CL_DEVICE_DOUBLE_FP_CONFIG) != 0;
        } catch (CLException e) {
            return false;   // an OpenCL 1.0 or 1.1 device without the extension need not know the query
        }
    }

    static String deviceString(cl_device_id id, int param) {
        long[] size = new long[1];
        clGetDeviceInfo(id, param, 0, null, size);
        byte[] buf = new byte[(int) size[0]];
        clGetDeviceInfo(id, param, buf.length, Pointer.to(buf), null);
        return new String(buf, 0, Math.max(0, buf.length - 1)).strip();
    }

    private static String platformString(cl_platform_id id, int param) {
        long[] size = new long[1];
        clGetPlatformInfo(id, param, 0, null, size);
        byte[] buf = new byte[(int) size[0]];
        clGetPlatformInfo(id, param, buf.length, Pointer.to(buf), null);
        return new String(buf, 0, Math.max(0, buf.length - 1)).strip();
    }

    static long deviceLong(cl_device_id id, int param) {
        long[] v = new long[1];
        clGetDeviceInfo(id, param, Sizeof.cl_ulong, Pointer.to(v), null);
        return v[0];
    }

    private static long deviceInt(cl_device_id id, int param) {
        int[] v = new int[1];
        clGetDeviceInfo(id, param, Sizeof.cl_uint, Pointer.to(v), null);
        return v[0];
    }

    static long deviceSize(cl_device_id id, int param) {
        long[] v = new long[1];
        clGetDeviceInfo(id, param, Sizeof.size_t, Pointer.to(v), null);
        return v[0];
    }
}
