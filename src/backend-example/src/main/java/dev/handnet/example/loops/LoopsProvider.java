package dev.handnet.example.loops;

import dev.handnet.backend.Backend;
import dev.handnet.backend.BackendProvider;
import dev.handnet.backend.Precision;

/**
 * Makes LoopsBackend the device {@code loops} of handnet: listed in
 * META-INF/services/dev.handnet.backend.BackendProvider, found by {@link java.util.ServiceLoader}
 * when this jar is on handnet's classpath ({@code HANDNET_CLASSPATH} for the launcher).
 */
public final class LoopsProvider implements BackendProvider {

    @Override
    public String prefix() {
        return "loops";
    }

    @Override
    public String describe() {
        return "plain loops in double, one thread (handnet's example backend)";
    }

    @Override
    public Backend open(String spec, Precision precision) {
        return new LoopsBackend(precision);
    }
}
