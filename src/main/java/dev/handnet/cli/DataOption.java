package dev.handnet.cli;

import dev.handnet.data.DataRoot;
import dev.handnet.data.Mnist;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/** {@code --data DIR}: a folder in the MNIST four-file IDX layout. */
final class DataOption {

    @Option(names = "--data", paramLabel = "DIR",
            description = "Folder with the four MNIST-layout IDX files, raw or .gz (default: $HANDNET_DATA/mnist, else data/mnist).")
    Path dir;

    Path resolve() {
        if (dir != null) return dir;
        return DataRoot.resolve("mnist");
    }

    Mnist.Split load() {
        return Mnist.load(resolve());
    }
}
