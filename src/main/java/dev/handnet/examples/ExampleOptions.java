package dev.handnet.examples;

import dev.handnet.backend.Backend;
import dev.handnet.backend.Backends;
import dev.handnet.backend.Precision;
import picocli.CommandLine.Option;

/** {@code --device} and {@code --precision}, shared by the examples that train on a backend. */
public final class ExampleOptions {

    @Option(names = "--device", paramLabel = "SPEC",
            description = "auto, cpu, opencl or opencl:<platform>:<device> (default: $HANDNET_DEVICE, else auto).")
    String device;

    @Option(names = "--precision", paramLabel = "P",
            description = "float64 (default: the tutorials compute in float64 numpy) or float32.")
    Precision precision = Precision.FLOAT64;

    Backend open() {
        return Backends.open(device, precision);
    }
}
