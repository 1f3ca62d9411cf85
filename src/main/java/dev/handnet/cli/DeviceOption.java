package dev.handnet.cli;

import dev.handnet.backend.Backend;
import dev.handnet.backend.Backends;
import picocli.CommandLine.Option;

/** {@code --device}, shared by every command that computes. */
final class DeviceOption {

    @Option(names = "--device", paramLabel = "SPEC",
            description = "auto, cpu, opencl or opencl:<platform>:<device> (default: $HANDNET_DEVICE, else auto).")
    String spec;

    Backend open() {
        return Backends.open(spec);
    }
}
