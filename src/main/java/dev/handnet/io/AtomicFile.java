package dev.handnet.io;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

import static java.nio.file.StandardCopyOption.ATOMIC_MOVE;
import static java.nio.file.StandardOpenOption.CREATE_NEW;
import static java.nio.file.StandardOpenOption.READ;
import static java.nio.file.StandardOpenOption.WRITE;

/**
 * Replaces a file so that it holds either its old or its new content, also across a crash or
 * power loss: the new content goes to a temporary file {@code .NAME.<16 hex digits>.tmp} in the
 * same folder, is forced to the disk, renamed over the target in one atomic step, and the
 * folder is forced too (where the platform can). On failure the temporary file is deleted;
 * ones left by a killed process are deleted by the next successful write of the same target
 * (so two processes must not write the same target at once).
 */
final class AtomicFile {

    /** What goes into the file. */
    interface Content {
        void writeTo(OutputStream out) throws IOException;
    }

    /** Tests only: wraps the stream to the temporary file, e.g. in one that fails as a full disk would. */
    static volatile UnaryOperator<OutputStream> streamFilter = UnaryOperator.identity();

    private static final SecureRandom RANDOM = new SecureRandom();

    private AtomicFile() {
    }

    /** Writes content to target as described above. */
    static void write(Path target, Content content) throws IOException {
        Path file = target.toAbsolutePath();
        Path dir = file.getParent();
        Files.createDirectories(dir);
        String name = file.getFileName().toString();
        Path tmp = dir.resolve("." + name + "." + HexFormat.of().toHexDigits(RANDOM.nextLong()) + ".tmp");
        try {
            try (FileChannel channel = FileChannel.open(tmp, CREATE_NEW, WRITE)) {
                OutputStream out = new BufferedOutputStream(streamFilter.apply(Channels.newOutputStream(channel)), 1 << 16);
                content.writeTo(out);
                out.flush();
                channel.force(true);
            }
            Files.move(tmp, file, ATOMIC_MOVE);
        } catch (IOException | RuntimeException | Error e) {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
        forceFolder(dir);
        removeStale(dir, name);
    }

    /** Makes the rename durable; platforms that cannot open or force a folder (Windows) throw, and are left as they are. */
    private static void forceFolder(Path dir) {
        try (FileChannel folder = FileChannel.open(dir, READ)) {
            folder.force(true);
        } catch (IOException ignored) {
            // the rename is atomic still, only perhaps not yet on the disk
        }
    }

    /** Deletes temporary files of name that a killed process left behind. */
    private static void removeStale(Path dir, String name) {
        Pattern stale = Pattern.compile("\\." + Pattern.quote(name) + "\\.[0-9a-f]{16}\\.tmp");
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, p -> stale.matcher(p.getFileName().toString()).matches())) {
            for (Path p : files) Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // a leftover temporary file is harmless: the next save tries again
        }
    }
}
