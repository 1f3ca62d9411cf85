package dev.handnet.backend;

/**
 * A backend that is not built into handnet, found through {@link java.util.ServiceLoader}
 * (a {@code META-INF/services/dev.handnet.backend.BackendProvider} file on the classpath).
 * {@link Backends#open(String, Precision)} hands it every device spec whose prefix, the part
 * before the first ':', is its {@link #prefix()}, and {@code handnet devices} lists it. Kept small
 * on purpose so third-party backends can plug in (docs/backend-guide.md; src/backend-example is
 * one); the tests use it for a fault-injecting backend.
 */
public interface BackendProvider {

    /** The spec prefix this provider answers, e.g. {@code faulty}; never auto, cpu or opencl. */
    String prefix();

    /** One line for {@code handnet devices}: what the backend is and runs on. */
    default String describe() {
        return getClass().getName();
    }

    /**
     * The backend spec names, at the given precision; spec is the whole spec, prefix included.
     * Throws {@link DeviceException} with a one-line message when it cannot be opened.
     */
    Backend open(String spec, Precision precision);
}
