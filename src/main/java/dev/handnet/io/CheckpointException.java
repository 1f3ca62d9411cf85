package dev.handnet.io;

import java.nio.file.Path;

/** A checkpoint file that cannot be read as one; the message names the file and the field. */
public final class CheckpointException extends RuntimeException {

    public CheckpointException(Path file, String problem) {
        super(file + ": " + problem);
    }

    public CheckpointException(Path file, String problem, Throwable cause) {
        super(file + ": " + problem, cause);
    }
}
