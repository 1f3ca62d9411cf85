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

    private static DeviceInfo missing(String why) {
        String message = why + "; install PoCL to run the OpenCL tests on the CPU: "
                + "apt-get install -y pocl-opencl-icd ocl-icd-libopencl1 ocl-icd-opencl-dev clinfo";
        if ("true".equalsIgnoreCase(System.getenv("CI"))) fail("CI=true and " + message);
        Assumptions.abort(message);
        return null;
    }
}
