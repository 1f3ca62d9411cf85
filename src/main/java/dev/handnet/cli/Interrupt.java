package dev.handnet.cli;

import sun.misc.Signal;
import sun.misc.SignalHandler;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Ctrl-C during training: the first SIGINT asks the trainer to stop after its current step
 * (it then saves and says how to resume); a second one ends the process at once, as Ctrl-C
 * usually does. The previous handler is back after close. Where the JVM gives no access to
 * signals, Ctrl-C keeps its usual effect.
 */
final class Interrupt implements AutoCloseable {

    private final AtomicBoolean requested = new AtomicBoolean();
    private SignalHandler previous;

    private Interrupt() {
    }

    static Interrupt install() {
        Interrupt i = new Interrupt();
        try {
            i.previous = Signal.handle(new Signal("INT"), signal -> {
                if (!i.requested.compareAndSet(false, true)) {
                    Runtime.getRuntime().halt(130);
                }
                System.err.println();
                System.err.println("handnet: stopping after this step (Ctrl-C again to quit at once)");
            });
        } catch (IllegalArgumentException | UnsatisfiedLinkError e) {
            i.previous = null;  // no SIGINT here (or the JVM was started with -Xrs)
        }
        return i;
    }

    /** Whether Ctrl-C was pressed. */
    boolean requested() {
        return requested.get();
    }

    @Override
    public void close() {
        if (previous != null) Signal.handle(new Signal("INT"), previous);
    }
}
