package dev.handnet.backend.opencl;

import org.jocl.cl_device_id;
import org.jocl.cl_platform_id;

import java.util.Locale;

/**
 * One OpenCL device as {@code handnet devices} lists it; platform and device are indices;
 * version: CL_DEVICE_VERSION; driver: CL_DRIVER_VERSION (for PoCL, PoCL's own version); float64:
 * whether it computes in double (cl_khr_fp64).
 */
public record DeviceInfo(int platform, int device, String platformName, String name, String vendor, boolean gpu,
                         String type, int computeUnits, long globalMemory, long localMemory, long maxWorkGroupSize,
                         String version, String driver, boolean float64, cl_platform_id platformId, cl_device_id deviceId) {

    /** The spec that selects this device: {@code opencl:<platform>:<device>}. */
    public String spec() {
        return "opencl:" + platform + ":" + device;
    }

    public String describe() {
        return String.format(Locale.ROOT, "%s (%s, %s, %d compute units)", name.strip(), platformName.strip(),
                type, computeUnits);
    }
}
