package dev.handnet.run;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * One training run's folder: {@code config.json} (every setting, the device, the data and its
 * checksums, the version), {@code metrics.csv} (a row per epoch), {@code summary.json} (at the
 * end), {@code last.hnet} and {@code best.hnet} (checkpoints), and the plots. A run in use is
 * locked (an OS file lock on {@code .lock}, which names the process): a second {@code train}
 * on it fails at once, and the lock goes when the process ends, however it ends.
 */
public final class RunFolder implements AutoCloseable {

    /** The default parent of run folders; HANDNET_RUNS overrides it. */
    public static final String ENV = "HANDNET_RUNS";

    private final Path dir;
    private FileChannel lockChannel;
    private FileLock lock;

    private RunFolder(Path dir) {
        this.dir = dir;
    }

    /** $HANDNET_RUNS, else runs/ in the current folder. */
    public static Path defaultRoot() {
        String env = System.getenv(ENV);
        return Path.of(env != null && !env.isBlank() ? env : "runs");
    }

    /** A new folder under root named {@code <UTC time>-<preset>-<device>}, e.g. 20261123-213000-modern-cpu, made and locked. */
    public static RunFolder create(Path root, String preset, String device) {
        String stamp = ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss", Locale.ROOT));
        String base = stamp + "-" + preset + "-" + device.replaceAll("[^A-Za-z0-9.]+", "-");
        Path dir = root.resolve(base);
        for (int n = 2; Files.exists(dir); n++) dir = root.resolve(base + "-" + n);
        return open(dir, true);
    }

    /** The folder dir (made when missing and make is true), locked for this process. */
    public static RunFolder open(Path dir, boolean make) {
        try {
            if (make) Files.createDirectories(dir);
            else if (!Files.isDirectory(dir)) throw new IllegalArgumentException(dir + ": no such run folder");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the run folder " + dir + ": " + e.getMessage(), e);
        }
        RunFolder run = new RunFolder(dir);
        run.lock();
        return run;
    }

    /** Takes the folder's lock, writing this process's id into it; fails naming the process that holds it. */
    private void lock() {
        Path file = dir.resolve(".lock");
        try {
            lockChannel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
            try {
                lock = lockChannel.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null;  // held by this very process
            }
            if (lock == null) {
                String holder = Files.readString(file, StandardCharsets.UTF_8).strip();
                lockChannel.close();
                throw new IllegalStateException(dir + " is in use by another training run (process "
                        + (holder.isEmpty() ? "unknown" : holder) + "); wait for it to finish, or choose another --run-dir");
            }
            lockChannel.truncate(0);
            lockChannel.write(ByteBuffer.wrap(String.valueOf(ProcessHandle.current().pid()).getBytes(StandardCharsets.UTF_8)));
            lockChannel.force(true);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot lock the run folder " + dir + ": " + e.getMessage(), e);
        }
    }

    /** Whether another process holds dir's lock now (for {@code handnet runs}). */
    public static boolean inUse(Path dir) {
        Path file = dir.resolve(".lock");
        if (!Files.exists(file)) return false;
        try (FileChannel c = FileChannel.open(file, StandardOpenOption.WRITE)) {
            FileLock l = c.tryLock();
            if (l == null) return true;
            l.release();
            return false;
        } catch (OverlappingFileLockException e) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    public Path dir() {
        return dir;
    }

    public Path config() {
        return dir.resolve("config.json");
    }

    public Path metrics() {
        return dir.resolve("metrics.csv");
    }

    public Path summary() {
        return dir.resolve("summary.json");
    }

    /** The checkpoint after the last epoch (or step, when stopped), which --resume continues from. */
    public Path last() {
        return dir.resolve("last.hnet");
    }

    /** The checkpoint of the epoch with the best test accuracy. */
    public Path best() {
        return dir.resolve("best.hnet");
    }

    @Override
    public void close() {
        try {
            if (lock != null) lock.release();
            if (lockChannel != null) lockChannel.close();
        } catch (IOException e) {
            // the lock goes with the process anyway
        }
    }
}
