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

    /** The kernels use OpenCL 1.2 (-cl-std=CL1.2, clEnqueueFillBuffer): say so, not "the kernel failed to build". */
    void requireOpenCl12() {
        java.util.regex.Matcher v = java.util.regex.Pattern.compile("OpenCL (\\d+)\\.(\\d+)").matcher(version());
        if (v.find() && Integer.parseInt(v.group(1)) * 10 + Integer.parseInt(v.group(2)) < 12) {
            throw new dev.handnet.backend.DeviceException(describe() + " supports " + version().strip()
                    + "; handnet's kernels need OpenCL 1.2 or newer");
        }
    }

    /** For debug logs: the spec, version, driver and limits, with the largest buffer it allows. */
    String details(long maxAlloc) {
        return String.format(java.util.Locale.ROOT, "%s (%s, driver %s): %d compute units, %d MiB global, %d MiB largest buffer,"
                + " %d KiB local, work-groups up to %d", spec(), version().strip(), driver(), computeUnits(), globalMemory() >> 20,
                maxAlloc >> 20, localMemory() >> 10, maxWorkGroupSize());
    }
}
