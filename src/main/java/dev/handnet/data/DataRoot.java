package dev.handnet.data;

import java.nio.file.Path;

/** Where the bundled datasets live: {@code $HANDNET_DATA}, else {@code data/} in the working folder. */
public final class DataRoot {

    public static final String ENV = "HANDNET_DATA";

    private DataRoot() {
    }

    /** The folder or file {@code name} under the data root, e.g. {@code mnist} or {@code iris/iris.csv}. */
    public static Path resolve(String name) {
        String root = System.getenv(ENV);
        return root != null && !root.isBlank() ? Path.of(root, name) : Path.of("data", name);
    }
}
