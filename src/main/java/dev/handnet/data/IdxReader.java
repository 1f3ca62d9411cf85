package dev.handnet.data;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reads IDX files (the MNIST format), raw or gzip-compressed: a big-endian magic number
 * 0x0000 TT NN (TT = 0x08 for unsigned bytes, NN = number of dimensions), NN big-endian
 * 32-bit dimensions, then the data. Images have magic 2051 (3 dimensions), labels 2049 (1).
 */
public final class IdxReader {

    public static final int IMAGES_MAGIC = 2051;
    public static final int LABELS_MAGIC = 2049;

    private IdxReader() {
    }

    /** The file's bytes, decompressed when they start with the gzip signature 1f 8b. */
    public static byte[] readBytes(Path path) {
        byte[] raw;
        try {
            raw = Files.readAllBytes(path);
        } catch (NoSuchFileException e) {
            throw new DataFileException(path, "no such file");
        } catch (IOException e) {
            throw new DataFileException(path, "cannot read: " + e.getMessage(), e);
        }
        if (raw.length < 2 || (raw[0] & 0xff) != 0x1f || (raw[1] & 0xff) != 0x8b) return raw;
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(raw))) {
            ByteArrayOutputStream out = new ByteArrayOutputStream(raw.length * 4);
            in.transferTo(out);
            return out.toByteArray();
        } catch (ZipException e) {
            throw new DataFileException(path, "corrupt gzip data: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new DataFileException(path, "gzip data ends early (" + e.getMessage() + "): the file is truncated", e);
        }
    }

    /** Parses bytes read from path as an IDX file that must carry the given magic number. */
    public static IdxFile parse(Path path, byte[] bytes, int expectedMagic) {
        ByteBuffer buf = ByteBuffer.wrap(bytes);
        if (bytes.length < 4) {
            throw new DataFileException(path, "truncated: " + bytes.length + " bytes, too short for the 4-byte IDX magic number");
        }
        int magic = buf.getInt();
        if (magic != expectedMagic) {
            throw new DataFileException(path, "magic number is " + magic + ", expected " + expectedMagic
                    + " (" + (expectedMagic == IMAGES_MAGIC ? "IDX images" : "IDX labels") + ")");
        }
        int ndims = magic & 0xff;
        if (bytes.length < 4 + 4 * ndims) {
            throw new DataFileException(path, "truncated header: " + ndims + " dimensions need "
                    + (4 + 4 * ndims) + " bytes, the file has " + bytes.length);
        }
        int[] dims = new int[ndims];
        long expected = 1;
        for (int i = 0; i < ndims; i++) {
            dims[i] = buf.getInt();
            if (dims[i] < 0) throw new DataFileException(path, "dimension " + i + " is negative (" + dims[i] + ")");
            expected *= dims[i];
        }
        long actual = bytes.length - buf.position();
        if (actual != expected) {
            throw new DataFileException(path, (actual < expected ? "truncated" : "trailing bytes") + ": dimensions "
                    + Arrays.toString(dims) + " need " + expected + " data bytes, the file has " + actual);
        }
        byte[] data = new byte[(int) expected];
        buf.get(data);
        return new IdxFile(path, dims, data);
    }

    public static IdxFile read(Path path, int expectedMagic) {
        return parse(path, readBytes(path), expectedMagic);
    }
}
