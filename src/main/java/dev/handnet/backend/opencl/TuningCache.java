package dev.handnet.backend.opencl;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.handnet.backend.Precision;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The GEMM parameters {@code handnet tune} measured fastest, one {@link Entry} per device name,
 * driver version, precision and {@link GemmClass}, kept as JSON in the user's cache folder
 * ({@link #defaultFile}). A file that cannot be read is ignored with a warning naming it: a
 * broken cache costs speed, never a training run.
 */
public final class TuningCache {

    private static final Logger log = LoggerFactory.getLogger(TuningCache.class);

    private static final ObjectMapper JSON = JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .build();

    /** One tuned class on one device: its parameters, their measured speed, and when. */
    public record Entry(String device, String driver, String precision, String shapeClass, GemmConfig config,
                        double gflops, String date) {

        /** Every field present: a file missing one is unreadable, not matched with nulls. */
        public Entry {
            for (Object field : new Object[] {device, driver, precision, shapeClass, config, date}) {
                if (field == null) throw new IllegalArgumentException("an entry lacks one of device, driver, precision, shape_class, config, date");
            }
        }

        boolean matches(DeviceInfo d, Precision p, GemmClass shape) {
            return device.equals(d.name()) && driver.equals(d.driver()) && precision.equals(p.name())
                    && shapeClass.equals(shape.key());
        }
    }

    /** The file's layout: {"entries": [...]}. */
    private record Contents(List<Entry> entries) {
    }

    private final Path file;
    private final List<Entry> entries;

    private TuningCache(Path file, List<Entry> entries) {
        this.file = file;
        this.entries = List.copyOf(entries);
    }

    /** $XDG_CACHE_HOME/handnet/gemm-tuning.json, else ~/.cache/handnet/gemm-tuning.json. */
    public static Path defaultFile() {
        return defaultFile(System.getenv(), System.getProperty("user.home"));
    }

    static Path defaultFile(Map<String, String> env, String home) {
        String xdg = env.get("XDG_CACHE_HOME");
        Path dir = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(home, ".cache");
        return dir.resolve("handnet").resolve("gemm-tuning.json");
    }

    /** The user's cache, {@link #defaultFile()}. */
    public static TuningCache user() {
        return load(defaultFile());
    }

    /** The entries in file: none when it does not exist, or (with a warning naming it) when it cannot be read. */
    public static TuningCache load(Path file) {
        try {
            Contents c = JSON.readValue(Files.readAllBytes(file), Contents.class);
            if (c == null || c.entries() == null) throw new IOException("no \"entries\" list");
            return new TuningCache(file, c.entries());
        } catch (NoSuchFileException e) {
            return new TuningCache(file, List.of());
        } catch (JacksonException e) {
            return unreadable(file, e.getOriginalMessage().replace('\n', ' '));
        } catch (IOException | RuntimeException e) {
            return unreadable(file, e.getMessage());
        }
    }

    private static TuningCache unreadable(Path file, String why) {
        log.warn("ignoring the GEMM tuning cache {} ({}); default GEMM parameters are used, and 'handnet tune' rewrites it",
                file, why);
        return new TuningCache(file, List.of());
    }

    public Path file() {
        return file;
    }

    public List<Entry> entries() {
        return entries;
    }

    /** The tuned parameters for shape on device at precision, if they were tuned there and still fit it. */
    Optional<GemmConfig> config(DeviceInfo device, Precision precision, GemmClass shape) {
        Optional<Entry> e = entries.stream().filter(x -> x.matches(device, precision, shape)).findFirst();
        if (e.isEmpty()) return Optional.empty();
        int realBytes = precision == Precision.FLOAT64 ? Double.BYTES : Float.BYTES;
        String misfit = e.get().config().misfit(device, realBytes);
        if (misfit == null) return Optional.of(e.get().config());
        log.warn("ignoring the tuned GEMM parameters for {} in {}: {}", shape.key(), file, misfit);
        return Optional.empty();
    }

    /** The classes tuned for device (this driver version) at precision. */
    public List<GemmClass> tunedClasses(DeviceInfo device, Precision precision) {
        return List.of(GemmClass.values()).stream().filter(c -> entries.stream().anyMatch(e -> e.matches(device, precision, c))).toList();
    }

    /** This cache with added in place of the entries for the same device, driver, precision and class. */
    public TuningCache with(List<Entry> added) {
        List<Entry> all = new ArrayList<>(entries.stream().filter(e -> added.stream().noneMatch(a -> sameKey(a, e))).toList());
        all.addAll(added);
        return new TuningCache(file, all);
    }

    private static boolean sameKey(Entry a, Entry b) {
        return a.device().equals(b.device()) && a.driver().equals(b.driver()) && a.precision().equals(b.precision())
                && a.shapeClass().equals(b.shapeClass());
    }

    /** Writes the file whole or not at all: into a temporary file beside it, then moved over it. */
    public void save() {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Path tmp = Files.createTempFile(file.toAbsolutePath().getParent(), file.getFileName().toString(), ".tmp");
            try {
                JSON.writeValue(tmp.toFile(), new Contents(entries));
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the GEMM tuning cache " + file + ": " + e.getMessage(), e);
        }
    }
}
