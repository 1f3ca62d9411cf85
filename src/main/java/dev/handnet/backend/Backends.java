package dev.handnet.backend;

import dev.handnet.backend.cpu.CpuBackend;
import dev.handnet.backend.opencl.DeviceInfo;
import dev.handnet.backend.opencl.OpenClBackend;
import dev.handnet.backend.opencl.OpenClDevices;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Opens the backend a device spec names: {@code auto}, {@code cpu}, {@code opencl} or
 * {@code opencl:<platform>:<device>}, or {@code <prefix>:...} of a {@link BackendProvider}; with no
 * spec, {@code HANDNET_DEVICE} or auto. An explicitly named device that is missing or broken is an
 * error, never a fallback; auto falls back to the CPU only while it opens, before any training.
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

    /** The backend the spec names, in float32. */
    public static Backend open(String spec) {
        return open(spec, Precision.FLOAT32);
    }

    /** The backend the spec names, at the given precision; auto passes over GPUs without float64 when asked for it. */
    public static Backend open(String spec, Precision precision) {
        String s = resolveSpec(spec).toLowerCase(Locale.ROOT);
        if (s.equals("cpu")) return cpu(precision);
        if (s.equals("auto")) return openAuto(precision);
        if (OpenClDevices.isSpec(s)) return new OpenClBackend(OpenClDevices.select(OpenClDevices.list(), s), precision);
        String prefix = s.split(":", 2)[0], others = "";
        for (BackendProvider p : providers()) {
            if (p.prefix().equalsIgnoreCase(prefix)) return p.open(resolveSpec(spec), precision);
            others += ", " + p.prefix() + ":...";
        }
        throw new DeviceException("device '" + resolveSpec(spec) + "' is not one of auto, cpu, opencl, opencl:<platform>:<device>"
                + others + (spec == null || spec.isBlank() ? " (from $" + ENV + ")" : ""));
    }

    /** The CPU backend on every core. */
    private static Backend cpu(Precision precision) {
        return new CpuBackend(precision, Runtime.getRuntime().availableProcessors());
    }

    /** An OpenCL GPU that opens, else the CPU backend; logs which and why. */
    private static Backend openAuto(Precision precision) {
        return openAuto(precision, OpenClDevices::list, gpu -> new OpenClBackend(gpu, precision));
    }

    /**
     * auto over the given devices: the best GPU, opened by opener, else the CPU backend. The only
     * fallback there is: once this returns, a failure of the backend is an error.
     */
    static Backend openAuto(Precision precision, Supplier<List<DeviceInfo>> list, Function<DeviceInfo, Backend> opener) {
        Optional<DeviceInfo> gpu;
        try {
            List<DeviceInfo> devices = list.get();
            if (precision == Precision.FLOAT64) devices = devices.stream().filter(DeviceInfo::float64).toList();
            gpu = OpenClDevices.bestGpu(devices);
        } catch (DeviceException e) {
            log.info("device auto: OpenCL unavailable ({}); using the CPU backend", e.getMessage());
            return cpu(precision);
        }
        if (gpu.isEmpty()) {
            log.info("device auto: no OpenCL GPU{} found; using the CPU backend", precision == Precision.FLOAT64 ? " with float64" : "");
            return cpu(precision);
        }
        try {
            Backend be = opener.apply(gpu.get());
            log.info("device auto: using the OpenCL GPU {}", be.name());
            return be;
        } catch (RuntimeException e) {
            log.warn("device auto: OpenCL GPU {} failed to open ({}); using the CPU backend", gpu.get().describe(),
                    e.getMessage());
            return cpu(precision);
        }
    }

    /** The backends on the classpath that are not built in, by {@link BackendProvider}. */
    public static List<BackendProvider> providers() {
        return ServiceLoader.load(BackendProvider.class).stream().map(ServiceLoader.Provider::get).toList();
    }

    /** What auto would choose, for {@code handnet devices}: the GPU's spec, or "cpu". */
    public static String autoChoice(List<DeviceInfo> devices) {
        return OpenClDevices.bestGpu(devices).map(DeviceInfo::spec).orElse("cpu");
    }
}
