package dev.handnet.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Checks, before a long run starts, that the files it will write can be written: a training run
 * should fail in its first second, not after its first epoch. Writes and deletes a probe file in
 * the target's folder (permission bits do not tell root, read-only mounts or full quotas apart).
 */
public final class OutputFiles {

    private OutputFiles() {
    }

    /**
     * Fails with a message naming option, file and cause unless file can be created or replaced:
     * its folder exists or can be made, a file can be created there, and file is not a folder.
     */
    public static void requireWritable(String option, Path file) {
        Path dir = file.toAbsolutePath().getParent();
        if (Files.isDirectory(file)) {
            throw new IllegalArgumentException(option + " " + file + ": is a folder, expected a file name");
        }
        if (Files.exists(file) && !Files.isRegularFile(file)) {
            throw new IllegalArgumentException(option + " " + file + ": exists and is not a regular file");
        }
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(option + " " + file + ": cannot create its folder " + dir + ": " + cause(e), e);
        }
        try {
            Files.delete(Files.createTempFile(dir, ".handnet-probe", ".tmp"));
        } catch (IOException e) {
            throw new UncheckedIOException(option + " " + file + ": cannot write in " + dir + ": " + cause(e), e);
        }
    }

    /** "Read-only file system", ... or the exception's kind: "access denied". */
    static String cause(IOException e) {
        if (e instanceof FileSystemException f && f.getReason() != null) return f.getReason();
        String kind = e.getClass().getSimpleName().replace("Exception", "");
        if (kind.isEmpty() || kind.equals("IO")) return String.valueOf(e.getMessage());
        return kind.replaceAll("(?<=[a-z])(?=[A-Z])", " ").toLowerCase(java.util.Locale.ROOT);  // AccessDenied: "access denied"
    }
}
