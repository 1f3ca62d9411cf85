package dev.handnet.io;

import dev.handnet.io.SafetensorsHeader.Tensor;
import dev.handnet.nn.Activation;
import dev.handnet.nn.Architecture;
import dev.handnet.nn.Head;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads checkpoint format version 2 ({@link CheckpointV2}). Nothing is allocated beyond what
 * the file's length justifies: the header length is checked against the file and
 * {@link #MAX_HEADER} before the header is read, and every tensor against the architecture in
 * the metadata and the data buffer before its array is. The parameters are returned only
 * after the buffer's SHA-256 matched the header's.
 */
final class CheckpointV2Reader {

    /** The largest header read (safetensors' own reader allows 100 MB; handnet's are a few KiB). */
    static final long MAX_HEADER = 16L << 20;
    private static final String NOT_A_CHECKPOINT = " (not a handnet checkpoint: neither safetensors (v2) nor HNETCKPT (v1))";

    private final Path file;
    private final InputStream in;

    private CheckpointV2Reader(Path file, InputStream in) {
        this.file = file;
        this.in = in;
    }

    /** Reads a v2 checkpoint of size bytes from in; file names it in errors. */
    static Checkpoint read(Path file, InputStream in, long size) throws IOException {
        return new CheckpointV2Reader(file, in).read(size);
    }

    private Checkpoint read(long size) throws IOException {
        if (size == 0) throw error("file", "is empty, expected a checkpoint");
        if (size < Long.BYTES) throw error("header length", "is cut off: the file has " + size + " bytes, expected at least 8" + NOT_A_CHECKPOINT);
        long n = ByteBuffer.wrap(bytes("header length", Long.BYTES)).order(ByteOrder.LITTLE_ENDIAN).getLong();
        if (Long.compareUnsigned(n, size - Long.BYTES) > 0) {
            throw error("header length", "is " + Long.toUnsignedString(n) + ", but " + (size - Long.BYTES)
                    + " bytes follow it" + NOT_A_CHECKPOINT);
        }
        if (n > MAX_HEADER) throw error("header length", "is " + n + ", expected at most " + MAX_HEADER);
        SafetensorsHeader header = SafetensorsHeader.parse(file, bytes("header", (int) n));
        long buffer = size - Long.BYTES - n;
        Map<String, String> meta = new TreeMap<>(header.metadata());
        Architecture arch = architecture(meta);
        requireParameterBytes(arch, buffer);
        byte[] sha = hex(text(meta, CheckpointV2.SHA256, "the SHA-256 of the data buffer"));
        List<Tensor> tensors = layout(arch, header.tensors(), buffer);
        Map<String, float[]> values = new HashMap<>();
        MessageDigest digest = CheckpointV2.sha256();
        for (Tensor t : tensors) values.put(t.name(), floats(t, digest));
        if (!MessageDigest.isEqual(digest.digest(), sha)) {
            throw error(CheckpointV2.SHA256, "does not match the data: payload checksum mismatch: the file is corrupted");
        }
        if (in.read() != -1) throw error("data", "is followed by more bytes than the file's length said");
        List<float[]> params = new ArrayList<>();
        for (String name : CheckpointV2.names(arch)) params.add(values.get(name));
        meta.keySet().removeAll(CheckpointV2.RESERVED);
        return new Checkpoint(arch, params, meta);
    }

    private Architecture architecture(Map<String, String> meta) {
        if (meta.isEmpty()) {
            throw error("__metadata__", "is missing, expected handnet's (format, sizes, activation, head, bias, sha256)");
        }
        String format = text(meta, CheckpointV2.FORMAT, "'handnet'");
        if (!format.equals(CheckpointV2.FORMAT_NAME)) throw error(CheckpointV2.FORMAT, "is '" + format + "', expected 'handnet'");
        String version = text(meta, CheckpointV2.VERSION, "2");
        if (!version.equals(CheckpointV2.FORMAT_VERSION)) {
            throw error(CheckpointV2.VERSION, "is '" + version + "', expected 2 (this handnet reads format versions 1 and 2)");
        }
        int[] sizes = sizes(text(meta, CheckpointV2.SIZES, "layer sizes such as 784,100,10"));
        Activation hidden = named(meta, CheckpointV2.ACTIVATION, Activation.class);
        Head head = named(meta, CheckpointV2.HEAD, Head.class);
        String bias = text(meta, CheckpointV2.BIAS, "true or false");
        if (!bias.equals("true") && !bias.equals("false")) throw error(CheckpointV2.BIAS, "is '" + bias + "', expected true or false");
        return new Architecture(sizes, hidden, head, bias.equals("true"));
    }

    private int[] sizes(String text) {
        String[] parts = text.split(",", -1);
        if (parts.length < 2 || parts.length > CheckpointV1.MAX_LAYERS) {
            throw error(CheckpointV2.SIZES, "has " + parts.length + " sizes, expected 2 to " + CheckpointV1.MAX_LAYERS);
        }
        int[] sizes = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
            String p = parts[i];
            if (!p.matches("[0-9]{1,10}") || Long.parseLong(p) < 1 || Long.parseLong(p) > Integer.MAX_VALUE) {
                throw error(CheckpointV2.SIZES, "is '" + clip(text) + "', expected sizes from 1 to 2147483647 separated by commas");
            }
            sizes[i] = Integer.parseInt(p);
        }
        return sizes;
    }

    /**
     * The parameters must fit in the data buffer before anything is allocated for them; each
     * layer is checked on its own, so that the total cannot wrap around a long.
     */
    private void requireParameterBytes(Architecture a, long buffer) {
        long bytes = 0;
        for (int l = 0; l < a.layers(); l++) {
            long weights = (long) a.in(l) * a.out(l);
            if (weights > CheckpointV1.MAX_ARRAY) {
                throw error(CheckpointV2.SIZES, CheckpointV2.sizes(a) + ": W" + l + " has " + weights
                        + " parameters, expected at most " + CheckpointV1.MAX_ARRAY);
            }
            bytes += Float.BYTES * (weights + (a.bias() ? a.out(l) : 0));
            if (bytes > buffer) {
                throw error(CheckpointV2.SIZES, CheckpointV2.sizes(a) + " needs " + (l < a.layers() - 1 ? "more than " : "")
                        + bytes + " bytes of parameters, but the data buffer has " + buffer);
            }
        }
    }

    /** The expected tensors, each checked, in the order of their data; together they cover the buffer exactly. */
    private List<Tensor> layout(Architecture a, Map<String, Tensor> tensors, long buffer) {
        List<String> names = CheckpointV2.names(a);
        for (String name : tensors.keySet()) {
            if (!names.contains(name)) {
                throw error(name, "is not a tensor of this network, expected only " + String.join(", ", names)
                        + " for sizes " + CheckpointV2.sizes(a));
            }
        }
        List<Tensor> order = new ArrayList<>();
        for (String name : names) {
            long[] shape = CheckpointV2.shape(a, name);
            Tensor t = tensors.get(name);
            if (t == null) throw error(name, "is missing, expected a tensor of shape " + Arrays.toString(shape));
            if (!t.dtype().equals("F32")) throw error(name, "has dtype " + clip(t.dtype()) + ", expected F32");
            if (!Arrays.equals(t.shape(), shape)) {
                throw error(name, "has shape " + Arrays.toString(t.shape()) + ", expected " + Arrays.toString(shape)
                        + " for sizes " + CheckpointV2.sizes(a));
            }
            String offsets = "has data_offsets [" + t.begin() + ", " + t.end() + "]";
            long bytes = Float.BYTES * Arrays.stream(shape).reduce(1, (x, y) -> x * y);
            if (t.end() < t.begin()) throw error(name, offsets + ", expected end >= begin");
            if (t.end() > buffer) throw error(name, offsets + ", past the end of the " + buffer + "-byte data buffer");
            if (t.end() - t.begin() != bytes) throw error(name, offsets + ", expected " + bytes + " bytes for its shape");
            order.add(t);
        }
        order.sort(Comparator.comparingLong(Tensor::begin));
        long at = 0;
        for (Tensor t : order) {
            if (t.begin() != at) {
                throw error(t.name(), "has data_offsets [" + t.begin() + ", " + t.end() + "], expected to begin at " + at
                        + (t.begin() > at ? " (a gap before it)" : " (it overlaps the tensor before it)"));
            }
            at = t.end();
        }
        if (at != buffer) {
            throw error("data", "has " + (buffer - at) + " trailing bytes: the tensors cover " + at + " of its " + buffer + " bytes");
        }
        return order;
    }

    /** Reads tensor t (checked: its bytes lie in the buffer), feeding its bytes to digest. */
    private float[] floats(Tensor t, MessageDigest digest) throws IOException {
        float[] v = new float[(int) ((t.end() - t.begin()) / Float.BYTES)];
        byte[] chunk = new byte[(int) Math.min(1 << 16, t.end() - t.begin())];
        for (int i = 0; i < v.length; ) {
            int n = Math.min(v.length - i, chunk.length / Float.BYTES);
            int got = in.readNBytes(chunk, 0, n * Float.BYTES);
            if (got < n * Float.BYTES) throw error(t.name(), "is cut off: the file ends inside it");
            digest.update(chunk, 0, got);
            ByteBuffer.wrap(chunk, 0, got).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(v, i, n);
            i += n;
        }
        return v;
    }

    private byte[] bytes(String field, int n) throws IOException {
        byte[] b = in.readNBytes(n);
        if (b.length < n) throw new CheckpointException(file, "truncated: the file ends inside field '" + field + "'");
        return b;
    }

    private String text(Map<String, String> meta, String key, String expected) {
        String v = meta.get(key);
        if (v == null) throw error(key, "is missing from __metadata__, expected " + expected);
        return v;
    }

    private <E extends Enum<E>> E named(Map<String, String> meta, String key, Class<E> type) {
        String names = Arrays.toString(type.getEnumConstants()).toLowerCase(Locale.ROOT);
        String v = text(meta, key, "one of " + names);
        for (E e : type.getEnumConstants()) {
            if (e.name().toLowerCase(Locale.ROOT).equals(v)) return e;
        }
        throw error(key, "is '" + clip(v) + "', expected one of " + names);
    }

    private byte[] hex(String v) {
        if (!v.matches("[0-9a-fA-F]{64}")) throw error(CheckpointV2.SHA256, "is '" + clip(v) + "', expected 64 hex digits");
        return HexFormat.of().parseHex(v.toLowerCase(Locale.ROOT));
    }

    /** A value from the file, shortened and on one line for a message. */
    private static String clip(String s) {
        String one = s.replaceAll("\\p{Cntrl}", "?");
        return one.length() <= 80 ? one : one.substring(0, 80) + "...";
    }

    private CheckpointException error(String field, String problem) {
        return new CheckpointException(file, "field '" + field + "' " + problem);
    }
}
