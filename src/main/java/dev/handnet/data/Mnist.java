package dev.handnet.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * MNIST, or any dataset in its four-file IDX layout (Fashion-MNIST, KMNIST): images scaled
 * to [0, 1] as float32, labels 0-9. Files may be raw or .gz; when the folder has a SHA256SUMS
 * file, it must list each file, and each file's uncompressed bytes must match it.
 */
public final class Mnist {

    public static final int CLASSES = 10;

    /** Training and test sets of one folder. */
    public record Split(Dataset train, Dataset test) {
    }

    private Mnist() {
    }

    public static Split load(Path dir) {
        return new Split(load(dir, "train", "train-images-idx3-ubyte", "train-labels-idx1-ubyte"), loadTest(dir));
    }

    /** The test set alone (what evaluate needs). */
    public static Dataset loadTest(Path dir) {
        return load(dir, "test", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte");
    }

    private static Dataset load(Path dir, String name, String imagesName, String labelsName) {
        if (!Files.isDirectory(dir)) {
            throw new DataFileException(dir, (Files.exists(dir) ? "is a file" : "no such folder")
                    + ", expected a folder holding the four MNIST IDX files");
        }
        return load(dir, name, imagesName, labelsName, readSums(dir.resolve("SHA256SUMS")));
    }

    private static Dataset load(Path dir, String name, String imagesName, String labelsName, Map<String, String> sums) {
        IdxFile images = readVerified(dir, imagesName, IdxReader.IMAGES_MAGIC, sums);
        IdxFile labels = readVerified(dir, labelsName, IdxReader.LABELS_MAGIC, sums);
        if (images.count() != labels.count()) {
            throw new DataFileException(labels.path(), "has " + labels.count() + " labels but "
                    + images.path().getFileName() + " has " + images.count() + " images");
        }
        int n = images.count(), features = images.itemSize();
        float[] x = new float[n * features];
        byte[] pixels = images.data();
        for (int i = 0; i < x.length; i++) x[i] = (pixels[i] & 0xff) / 255f;
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = labels.data()[i] & 0xff;
            if (y[i] >= CLASSES) {
                throw new DataFileException(labels.path(), "label " + i + " is " + y[i] + ", expected 0 to " + (CLASSES - 1));
            }
        }
        return new Dataset(dir.getFileName() + "/" + name, x, n, features, y, CLASSES);
    }

    /**
     * Reads dir/name.gz or dir/name, parses it (so a truncated or malformed file is reported
     * as such), then checks it against SHA256SUMS when the folder has one.
     */
    private static IdxFile readVerified(Path dir, String name, int magic, Map<String, String> sums) {
        Path gz = dir.resolve(name + ".gz");
        Path path = Files.exists(gz) ? gz : dir.resolve(name);
        if (!Files.exists(path)) {
            throw new DataFileException(path, "no such file (nor " + gz.getFileName() + ")");
        }
        byte[] bytes = IdxReader.readBytes(path);
        IdxFile idx = IdxReader.parse(path, bytes, magic);
        if (sums.isEmpty()) return idx;
        String expected = sums.get(name);
        if (expected == null) {
            throw new DataFileException(path, "SHA256SUMS in its folder has no line for " + name);
        }
        String actual = sha256(bytes);
        if (!actual.equals(expected)) {
            throw new DataFileException(path, "SHA-256 of the uncompressed data is " + actual
                    + ", but SHA256SUMS says " + expected + " (corrupt or a different file)");
        }
        return idx;
    }

    /** "digest  filename" lines, as sha256sum writes them; an absent file means no checks. */
    private static Map<String, String> readSums(Path file) {
        Map<String, String> sums = new HashMap<>();
        if (!Files.exists(file)) return sums;
        List<String> lines;
        try {
            lines = Files.readAllLines(file);
        } catch (IOException e) {
            throw new DataFileException(file, "cannot read: " + e.getMessage(), e);
        }
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).trim();
            if (line.isEmpty()) continue;
            String[] parts = line.split("\\s+\\*?", 2);
            if (parts.length != 2 || !parts[0].matches("[0-9a-f]{64}")) {
                throw new DataFileException(file, "line " + (i + 1) + " is not '<sha256 hex>  <file name>': " + line);
            }
            sums.put(parts[1], parts[0]);
        }
        return sums;
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }
}
