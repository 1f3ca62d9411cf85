package dev.handnet.backend.opencl;

import org.junit.jupiter.api.Assumptions;

import java.util.List;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * The OpenCL device the tests run on: $HANDNET_TEST_OPENCL (opencl:P:D) or the best one found.
 * Without any OpenCL platform the tests are skipped with a message saying how to install PoCL,
 * except with CI=true, where a missing platform fails the build.
 */
public final class OpenClTestDevice {

    private OpenClTestDevice() {
    }

    public static DeviceInfo get() {
        List<DeviceInfo> devices;
        try {
            devices = OpenClDevices.list();
        } catch (RuntimeException e) {
            return missing("OpenCL cannot be loaded: " + e.getMessage());
        }
        if (devices.isEmpty()) return missing("no OpenCL platform found");
        String spec = System.getenv("HANDNET_TEST_OPENCL");
        return spec != null && OpenClDevices.isSpec(spec) ? OpenClDevices.select(devices, spec) : OpenClDevices.best(devices);
    }

    /** The test device claiming to be a GPU, so auto picks it. */
    public static DeviceInfo asGpu() {
        DeviceInfo d = get();
        return altered(d, true, "GPU", d.globalMemory(), d.version(), d.float64());
    }

    /** The test device claiming another CL_DEVICE_VERSION. */
    public static DeviceInfo withVersion(String version) {
        DeviceInfo d = get();
        return altered(d, d.gpu(), d.type(), d.globalMemory(), version, d.float64());
    }

    /** The test device claiming no cl_khr_fp64. */
    public static DeviceInfo withoutFloat64() {
        DeviceInfo d = get();
        return altered(d, d.gpu(), d.type(), d.globalMemory(), d.version(), false);
    }

    /** The test device claiming bytes of global memory. */
    public static DeviceInfo withGlobalMemory(long bytes) {
        DeviceInfo d = get();
        return altered(d, d.gpu(), d.type(), bytes, d.version(), d.float64());
    }

    /** d with the fields the tests pretend about replaced: a device they cannot have. */
    private static DeviceInfo altered(DeviceInfo d, boolean gpu, String type, long globalMemory, String version,
                                      boolean float64) {
        return new DeviceInfo(d.platform(), d.device(), d.platformName(), d.name(), d.vendor(), gpu, type,
                d.computeUnits(), globalMemory, d.localMemory(), d.maxWorkGroupSize(), version, d.driver(), float64,
                d.platformId(), d.deviceId());
    }

    private static DeviceInfo missing(String why) {
        String message = why + "; install PoCL to run the OpenCL tests on the CPU: "
                + "apt-get install -y pocl-opencl-icd ocl-icd-libopencl1 ocl-icd-opencl-dev clinfo";
        if ("true".equalsIgnoreCase(System.getenv("CI"))) fail("CI=true and " + message);
        Assumptions.abort(message);
        return null;
    }
}
