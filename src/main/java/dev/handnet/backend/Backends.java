package dev.handnet.backend;

import dev.handnet.backend.cpu.CpuBackend;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Locale;

/**
 * Opens the backend a device spec names: {@code auto}, {@code cpu}, {@code opencl} or
 * {@code opencl:<platform>:<device>}; with no spec, {@code HANDNET_DEVICE} or auto.
 */
public final class Backends {

    private static final Logger log = LoggerFactory.getLogger(Backends.class);

    public static final String ENV = "HANDNET_DEVICE";

    private Backends() {
    }

    /** The spec to use: the given one, else $HANDNET_DEVICE, else auto. */
    public static String resolveSpec(String spec) {
        if (spec != null && !spec.isBlank()) return spec.trim();
        String env = System.getenv(ENV);
        return env != null && !env.isBlank() ? env.trim() : "auto";
    }

    public static Backend open(String spec) {
        String s = resolveSpec(spec).toLowerCase(Locale.ROOT);
        if (s.equals("cpu")) return new CpuBackend();
        if (s.equals("auto")) {
            Backend cpu = new CpuBackend();
            log.info("device auto: this build has no OpenCL backend yet, using {}", cpu.name());
            return cpu;
        }
        if (s.equals("opencl") || s.startsWith("opencl:")) {
            throw new DeviceException("device '" + spec + "': the OpenCL backend is not part of this build yet;"
                    + " use --device cpu or auto");
        }
        throw new DeviceException("device '" + spec + "' is not one of auto, cpu, opencl, opencl:<platform>:<device>");
    }
}
