package dev.handnet.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/** config.json and summary.json of a run folder: written whole, atomically; read back for --resume and {@code handnet runs}. */
public final class RunRecords {

    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private RunRecords() {
    }

    /**
     * config.json: the settings, the device, the data folder with each file's SHA-256 (sums, from
     * {@link #checksums}), the version and commit, the time.
     */
    public static void writeConfig(RunFolder run, TrainSettings settings, String device, Path data, Map<String, String> sums,
                                   String version) {
        ObjectNode root = JSON.createObjectNode();
        root.put("handnet", version);
        root.put("git_commit", gitCommit());
        root.put("created", Instant.now().toString());
        root.set("settings", JSON.valueToTree(settings));
        root.put("device", device);
        ObjectNode d = root.putObject("data");
        d.put("folder", data.toAbsolutePath().toString());
        sums.forEach(d.putObject("sha256")::put);
        write(run.config(), root);
    }

    /** The settings config.json recorded, for --resume; an error naming the file and field when it cannot. */
    public static TrainSettings readSettings(Path config) {
        JsonNode root = read(config);
        JsonNode s = root.get("settings");
        if (s == null) throw new IllegalArgumentException(config + ": no field 'settings', expected the run's settings");
        try {
            return JSON.treeToValue(s, TrainSettings.class);
        } catch (IOException e) {
            throw new IllegalArgumentException(config + ": field 'settings' is not what handnet wrote: " + e.getMessage().lines().findFirst().orElse(""));
        }
    }

    /** summary.json: how the run ended and its figures. */
    public static void writeSummary(RunFolder run, Map<String, Object> figures) {
        write(run.summary(), JSON.valueToTree(figures));
    }

    public static JsonNode read(Path file) {
        try {
            return JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new IllegalArgumentException(file + ": not readable JSON (" + e.getMessage().lines().findFirst().orElse("") + ")");
        }
    }

    private static void write(Path file, JsonNode node) {
        try {
            Path tmp = Files.createTempFile(file.toAbsolutePath().getParent(), "." + file.getFileName(), ".tmp");
            JSON.writeValue(tmp.toFile(), node);
            Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    /** SHA-256 of each regular file in the data folder (not the SHA256SUMS list itself). */
    public static Map<String, String> checksums(Path data) {
        Map<String, String> sums = new TreeMap<>();
        try (Stream<Path> files = Files.list(data)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                if (f.getFileName().toString().equals("SHA256SUMS")) continue;
                MessageDigest sha = MessageDigest.getInstance("SHA-256");
                try (InputStream in = new DigestInputStream(Files.newInputStream(f), sha)) {
                    in.transferTo(java.io.OutputStream.nullOutputStream());
                }
                sums.put(f.getFileName().toString(), HexFormat.of().formatHex(sha.digest()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + data + ": " + e.getMessage(), e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        return sums;
    }

    /** The commit of the git checkout the program runs from, when it runs from one (./handnet in a clone); else null. */
    static String gitCommit() {
        try {
            Path dir = Path.of(RunRecords.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toAbsolutePath();
            for (Path p = dir; p != null; p = p.getParent()) {
                Path head = p.resolve(".git/HEAD");
                if (!Files.isRegularFile(head)) continue;
                String ref = Files.readString(head).strip();
                if (!ref.startsWith("ref: ")) return ref;
                Path refFile = p.resolve(".git").resolve(ref.substring(5));
                if (Files.isRegularFile(refFile)) return Files.readString(refFile).strip();
                for (String line : List.of(Files.readString(p.resolve(".git/packed-refs")).split("\n"))) {
                    if (line.endsWith(" " + ref.substring(5))) return line.substring(0, line.indexOf(' '));
                }
                return null;
            }
        } catch (Exception e) {
            // unknown: not a checkout, or unreadable
        }
        return null;
    }
}
