package dev.handnet.examples;

import dev.handnet.backend.Backend;
import dev.handnet.backend.Precision;
import dev.handnet.cli.DeviceOption;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code --device} and {@code --precision}, shared by the examples that train on a backend. */
public final class ExampleOptions {

    @Mixin
    DeviceOption device;

    @Option(names = "--precision", paramLabel = "P",
            description = "float64 or float32 (default: ${DEFAULT-VALUE}; the tutorials compute in float64 numpy).")
    Precision precision;

    /** A float64 default (the tutorials'), or float32 for the examples that train MNIST. */
    public ExampleOptions() {
        this(Precision.FLOAT64);
    }

    ExampleOptions(Precision defaultPrecision) {
        precision = defaultPrecision;
    }

    Backend open() {
        return device.open(precision);
    }
}
