package dev.handnet.backend.opencl;

import dev.handnet.backend.DeviceException;

/** A kernel file that did not compile for a device; the message carries the full build log. */
public final class KernelBuildException extends DeviceException {

    private final String buildLog;

    KernelBuildException(String file, String device, String options, String buildLog, Throwable cause) {
        super("kernels/" + file + " failed to build for " + device + " (options: " + options + "):\n" + buildLog, cause);
        this.buildLog = buildLog;
    }

    public String buildLog() {
        return buildLog;
    }
}
