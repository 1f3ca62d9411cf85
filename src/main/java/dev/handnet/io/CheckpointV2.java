package dev.handnet.io;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.handnet.nn.Architecture;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Checkpoint format version 2: a <a href="https://github.com/huggingface/safetensors">safetensors</a>
 * file (docs/checkpoint.md). An 8-byte little-endian header length N, N bytes of UTF-8 JSON
 * (space-padded so the data starts 8-byte aligned), then the data buffer: W0 (F32, shape
 * [in, out], row-major), b0 (F32, [out]) if bias, W1, b1, ... little-endian, back to back.
 * The header's "__metadata__" holds the architecture, the SHA-256 of the data buffer and
 * the caller's own entries ({@link Checkpoint#with}).
 */
final class CheckpointV2 {

    static final String FORMAT = "format", VERSION = "handnet.format_version", SIZES = "sizes",
            ACTIVATION = "activation", HEAD = "head", BIAS = "bias", SHA256 = "sha256";
    /** The keys handnet writes itself; a caller's metadata may not use them. */
    static final Set<String> RESERVED = Set.of(FORMAT, VERSION, SIZES, ACTIVATION, HEAD, BIAS, SHA256);
    static final String FORMAT_NAME = "handnet";
    static final String FORMAT_VERSION = "2";
    private static final int CHUNK = 1 << 16;
    private static final JsonFactory JSON = new JsonFactory();

    private CheckpointV2() {
    }

    /** Tensor names in file order: W0, b0 (if bias), W1, b1, ... */
    static List<String> names(Architecture a) {
        List<String> names = new ArrayList<>();
        for (int l = 0; l < a.layers(); l++) {
            names.add("W" + l);
            if (a.bias()) names.add("b" + l);
        }
        return names;
    }

    /** A tensor's shape: [in, out] for a weight, [out] for a bias. */
    static long[] shape(Architecture a, String name) {
        int l = Integer.parseInt(name.substring(1));
        return name.charAt(0) == 'W' ? new long[] {a.in(l), a.out(l)} : new long[] {a.out(l)};
    }

    /** "784,100,10". */
    static String sizes(Architecture a) {
        return Arrays.stream(a.sizes()).mapToObj(Integer::toString).collect(Collectors.joining(","));
    }

    /** Writes c as a v2 file. */
    static void write(Checkpoint c, OutputStream out) throws IOException {
        MessageDigest sha = sha256();
        forEachChunk(c, (b, n) -> sha.update(b, 0, n));
        byte[] header = header(c, HexFormat.of().formatHex(sha.digest()));
        byte[] length = new byte[Long.BYTES];
        ByteBuffer.wrap(length).order(ByteOrder.LITTLE_ENDIAN).putLong(header.length);
        out.write(length);
        out.write(header);
        forEachChunk(c, (b, n) -> out.write(b, 0, n));
    }

    /** The JSON header, padded with spaces to end at a multiple of 8 bytes from the file's start. */
    private static byte[] header(Checkpoint c, String sha256) throws IOException {
        Architecture a = c.architecture();
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put(FORMAT, FORMAT_NAME);
        meta.put(VERSION, FORMAT_VERSION);
        meta.put(SIZES, sizes(a));
        meta.put(ACTIVATION, a.hidden().name().toLowerCase(Locale.ROOT));
        meta.put(HEAD, a.head().name().toLowerCase(Locale.ROOT));
        meta.put(BIAS, Boolean.toString(a.bias()));
        meta.put(SHA256, sha256);
        meta.putAll(c.metadata());
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (JsonGenerator g = JSON.createGenerator(bytes)) {
            g.writeStartObject();
            g.writeObjectFieldStart(SafetensorsHeader.METADATA);
            for (Map.Entry<String, String> e : meta.entrySet()) g.writeStringField(e.getKey(), e.getValue());
            g.writeEndObject();
            long offset = 0;
            List<String> names = names(a);
            for (int i = 0; i < names.size(); i++) {
                long end = offset + (long) Float.BYTES * c.parameters().get(i).length;
                g.writeObjectFieldStart(names.get(i));
                g.writeStringField("dtype", "F32");
                g.writeArrayFieldStart("shape");
                for (long d : shape(a, names.get(i))) g.writeNumber(d);
                g.writeEndArray();
                g.writeArrayFieldStart("data_offsets");
                g.writeNumber(offset);
                g.writeNumber(end);
                g.writeEndArray();
                g.writeEndObject();
                offset = end;
            }
            g.writeEndObject();
        }
        while ((Long.BYTES + bytes.size()) % 8 != 0) bytes.write(' ');
        return bytes.toByteArray();
    }

    private interface Chunk {
        void accept(byte[] bytes, int length) throws IOException;
    }

    /** The data buffer, little-endian, in pieces of at most CHUNK bytes. */
    private static void forEachChunk(Checkpoint c, Chunk sink) throws IOException {
        byte[] chunk = new byte[CHUNK];
        ByteBuffer buf = ByteBuffer.wrap(chunk).order(ByteOrder.LITTLE_ENDIAN);
        for (float[] p : c.parameters()) {
            for (int i = 0; i < p.length; ) {
                int n = Math.min(p.length - i, CHUNK / Float.BYTES);
                buf.clear();
                buf.asFloatBuffer().put(p, i, n);
                sink.accept(chunk, n * Float.BYTES);
                i += n;
            }
        }
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}
