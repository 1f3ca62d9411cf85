package dev.handnet.data;

import java.nio.file.Path;

/** A data file that is missing, truncated or not what it should be; the message names the file. */
public final class DataFileException extends RuntimeException {

    public DataFileException(Path file, String problem) {
        super(file + ": " + problem);
    }

    public DataFileException(Path file, String problem, Throwable cause) {
        super(file + ": " + problem, cause);
    }
}
