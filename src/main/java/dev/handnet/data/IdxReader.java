package dev.handnet.data;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
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
    /** The most bytes one IDX file may hold once decompressed: the largest Java byte array. */
    static final int MAX_BYTES = Integer.MAX_VALUE - 8;

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
        return decode(path, raw);
    }

    /** The bytes of the file at path (named in errors), decompressed when they start with 1f 8b. */
    static byte[] decode(Path path, byte[] raw) {
        if (raw.length < 2 || (raw[0] & 0xff) != 0x1f || (raw[1] & 0xff) != 0x8b) return raw;
        try {
            return gunzip(path, raw);
        } catch (ZipException e) {
            throw new DataFileException(path, "corrupt gzip data: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new DataFileException(path, "gzip data ends early (" + e.getMessage() + "): the file is truncated", e);
        }
    }

    /**
     * Decompresses as the data arrives, so memory follows what the gzip stream really holds,
     * and stops as soon as it holds more than its own IDX header declares (a gzip bomb behind
     * a small header is refused after header + data + one chunk) or more than one Java array
     * can hold.
     */
    private static byte[] gunzip(Path path, byte[] raw) throws IOException {
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(raw))) {
            Buffer out = new Buffer((int) Math.min(4L * raw.length, 1 << 26));
            byte[] chunk = new byte[1 << 16];
            long declared = -1;
            for (int n; (n = in.read(chunk)) != -1; ) {
                if (out.size() + (long) n > MAX_BYTES) {
                    throw new DataFileException(path, "gzip data decompresses to more than " + MAX_BYTES
                            + " bytes, the most one IDX file can hold here");
                }
                out.write(chunk, 0, n);
                if (declared < 0) declared = declaredSize(path, out.array(), out.size());
                if (declared == NOT_IDX) return out.toByteArray();   // parse reports the magic number
                if (declared >= 0 && out.size() > declared) {
                    throw new DataFileException(path, "trailing bytes: the IDX header declares " + declared
                            + " bytes in all (header and data), the decompressed data has more");
                }
            }
            return out.toByteArray();
        }
    }

    /** declaredSize: the data does not start with an IDX images or labels magic number. */
    private static final long NOT_IDX = -2;

    /**
     * Header plus data bytes that an IDX header at the start of bytes declares, -1 while the
     * header is incomplete, NOT_IDX when the magic number is neither images' nor labels' (no
     * need to decompress further). A header no IDX file here could satisfy (a negative
     * dimension, more than MAX_BYTES) is refused at once, before the rest is decompressed.
     */
    private static long declaredSize(Path path, byte[] bytes, int length) {
        if (length < 4) return -1;
        int magic = ByteBuffer.wrap(bytes, 0, 4).getInt();
        if (magic != IMAGES_MAGIC && magic != LABELS_MAGIC) return NOT_IDX;
        int ndims = bytes[3] & 0xff;
        int header = 4 + 4 * ndims;
        if (length < header) return -1;
        ByteBuffer buf = ByteBuffer.wrap(bytes, 4, 4 * ndims);
        int[] dims = new int[ndims];
        long size = header;
        for (int i = 0; i < ndims; i++) {
            dims[i] = buf.getInt();
            if (dims[i] < 0) throw new DataFileException(path, "dimension " + i + " is negative (" + dims[i] + ")");
            if (size <= MAX_BYTES) size = i == 0 ? header + (long) dims[i] : header + (size - header) * dims[i];
        }
        if (size > MAX_BYTES) {
            throw new DataFileException(path, "dimensions " + Arrays.toString(dims) + " need more than "
                    + MAX_BYTES + " bytes, the most one IDX file can hold here");
        }
        return size;
    }

    /** A ByteArrayOutputStream whose bytes can be read without a copy. */
    private static final class Buffer extends ByteArrayOutputStream {
        Buffer(int capacity) {
            super(capacity);
        }

        byte[] array() {
            return buf;
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
        BigInteger expected = BigInteger.ONE;   // three dimensions below 2^31 can overflow a long
        for (int i = 0; i < ndims; i++) {
            dims[i] = buf.getInt();
            if (dims[i] < 0) throw new DataFileException(path, "dimension " + i + " is negative (" + dims[i] + ")");
            expected = expected.multiply(BigInteger.valueOf(dims[i]));
        }
        long actual = bytes.length - buf.position();
        int order = BigInteger.valueOf(actual).compareTo(expected);
        if (order != 0) {
            throw new DataFileException(path, (order < 0 ? "truncated" : "trailing bytes") + ": dimensions "
                    + Arrays.toString(dims) + " need " + expected + " data bytes, the file has " + actual);
        }
        byte[] data = new byte[(int) actual];
        buf.get(data);
        return new IdxFile(path, dims, data);
    }

    public static IdxFile read(Path path, int expectedMagic) {
        return parse(path, readBytes(path), expectedMagic);
    }
}
