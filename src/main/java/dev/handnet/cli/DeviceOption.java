package dev.handnet.cli;

import dev.handnet.backend.Backend;
import dev.handnet.backend.Backends;
import dev.handnet.backend.Precision;
import picocli.CommandLine.Option;

/** {@code --device}, shared by every command that computes, the examples included. */
public final class DeviceOption {

    @Option(names = "--device", paramLabel = "SPEC",
            description = "auto, cpu, opencl or opencl:<platform>:<device> (default: $HANDNET_DEVICE, else auto).")
    String spec;

    /** The named backend in float32. */
    public Backend open() {
        return Backends.open(spec);
    }

    /** The named backend at the given precision. */
    public Backend open(Precision precision) {
        return Backends.open(spec, precision);
    }
}
