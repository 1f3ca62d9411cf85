package dev.handnet.backend.opencl;

import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * GEMM on one device: for each {@link GemmClass} the tuned {@link GemmConfig} from the tuning
 * cache when there is one, else the device's defaults. Each distinct configuration is built
 * ({@link GemmProgram}) when a product of its class first runs; large-nn's at once.
 */
final class ClGemm {

    private final ClRuntime runtime;
    private final Map<GemmClass, GemmConfig> configs = new EnumMap<>(GemmClass.class);
    private final Map<GemmClass, Boolean> tuned = new EnumMap<>(GemmClass.class);
    private final Map<GemmConfig, GemmProgram> built = new HashMap<>();

    ClGemm(ClRuntime runtime, TuningCache cache) {
        this.runtime = runtime;
        for (GemmClass shape : GemmClass.values()) {
            Optional<GemmConfig> fromCache = cache.config(runtime.device, runtime.precision, shape);
            configs.put(shape, fromCache.orElseGet(() -> GemmConfig.defaults(runtime.device, shape, runtime.realBytes)));
            tuned.put(shape, fromCache.isPresent());
        }
        program(GemmClass.LARGE_NN);   // now: a gemm.cl that does not build fails the backend's opening, as other kernel files do
    }

    /** c = alpha * op(a) * op(b) + beta * c.  op(a): (m, k)  op(b): (k, n)  c: (m, n), m, n, k > 0. */
    void run(boolean transA, boolean transB, double alpha, ClMatrix a, ClMatrix b, double beta, ClMatrix c) {
        int k = transA ? a.rows() : a.cols();
        program(GemmClass.of(c.rows(), k, c.cols(), transA, transB)).run(transA, transB, alpha, a, b, beta, c);
    }

    private GemmProgram program(GemmClass shape) {
        return built.computeIfAbsent(configs.get(shape), c -> new GemmProgram(runtime, c));
    }

    /** The configuration a class runs with (building it, since the device may need smaller work-groups). */
    GemmConfig config(GemmClass shape) {
        return program(shape).config();
    }

    /** "small-nn default MWG=...; ...; large-nn tuned MWG=...": what each class runs with, until built as wanted. */
    String describe() {
        return configs.keySet().stream()
                .map(c -> c.key() + " " + (tuned.get(c) ? "tuned " : "default ")
                        + (built.containsKey(configs.get(c)) ? built.get(configs.get(c)).config() : configs.get(c)))
                .collect(Collectors.joining("; "));
    }
}
