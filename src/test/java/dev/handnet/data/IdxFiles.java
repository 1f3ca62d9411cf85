package dev.handnet.data;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

/** Writes small IDX files for tests. */
final class IdxFiles {

    private IdxFiles() {
    }

    static byte[] idx(int magic, int[] dims, byte[] data) {
        ByteBuffer buf = ByteBuffer.allocate(4 + 4 * dims.length + data.length);
        buf.putInt(magic);
        for (int d : dims) buf.putInt(d);
        buf.put(data);
        return buf.array();
    }

    static byte[] gzip(byte[] raw) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(raw);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    static Path write(Path file, byte[] bytes) {
        try {
            return Files.write(file, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A four-file MNIST-layout folder: n train and n test images of 2x2 pixels, labels i % 10. */
    static void writeMnistLayout(Path dir, int n) {
        byte[] pixels = new byte[n * 4];
        for (int i = 0; i < pixels.length; i++) pixels[i] = (byte) (i * 37);
        byte[] labels = new byte[n];
        for (int i = 0; i < n; i++) labels[i] = (byte) (i % 10);
        for (String set : new String[] {"train", "t10k"}) {
            write(dir.resolve(set + "-images-idx3-ubyte.gz"), gzip(idx(IdxReader.IMAGES_MAGIC, new int[] {n, 2, 2}, pixels)));
            write(dir.resolve(set + "-labels-idx1-ubyte"), idx(IdxReader.LABELS_MAGIC, new int[] {n}, labels));
        }
    }
}
