package dev.handnet.io;

import dev.handnet.backend.Backend;
import dev.handnet.nn.Architecture;
import dev.handnet.nn.Mlp;
import dev.handnet.nn.Parameter;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PushbackInputStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A trained network on disk (docs/checkpoint.md): its architecture, its parameters (W0 as in
 * x out row-major, b0, W1, b1, ...) and metadata of the caller's own, string to string, such as
 * {@code Checkpoint.of(net).with("epoch", "3")}. {@link #save} writes format version 2, a
 * safetensors file with a SHA-256 of its data, atomically and durably ({@link AtomicFile});
 * {@link #load} reads version 2 and the older version 1, and refuses parameters that are not
 * finite numbers.
 */
public record Checkpoint(Architecture architecture, List<float[]> parameters, Map<String, String> metadata) {

    /** Metadata keys are in key order; the ones handnet writes itself (format, sizes, ...) are refused. */
    public Checkpoint {
        TreeMap<String, String> copy = new TreeMap<>(metadata);
        for (Map.Entry<String, String> e : copy.entrySet()) {
            if (CheckpointV2.RESERVED.contains(e.getKey())) {
                throw new IllegalArgumentException("metadata key '" + e.getKey() + "' is handnet's own, expected another name");
            }
            if (e.getValue() == null) throw new IllegalArgumentException("metadata key '" + e.getKey() + "' has no value");
        }
        metadata = Collections.unmodifiableMap(copy);
    }

    /** A checkpoint with no metadata of the caller's. */
    public Checkpoint(Architecture architecture, List<float[]> parameters) {
        this(architecture, parameters, Map.of());
    }

    /** The network's architecture and its parameters as they are now, copied to the host. */
    public static Checkpoint of(Mlp net) {
        List<float[]> params = new ArrayList<>();
        for (Parameter p : net.parameters()) params.add(net.backend().download(p.value()));
        return new Checkpoint(net.architecture(), params);
    }

    /** This checkpoint with one more metadata entry (or key's value replaced), e.g. with("epoch", "3"). */
    public Checkpoint with(String key, String value) {
        TreeMap<String, String> more = new TreeMap<>(metadata);
        more.put(key, value);
        return new Checkpoint(architecture, parameters, more);
    }

    /** A network with these parameters on the given backend. */
    public Mlp toMlp(Backend be) {
        List<double[]> params = new ArrayList<>();
        for (float[] p : parameters) {
            double[] d = new double[p.length];
            for (int i = 0; i < p.length; i++) d[i] = p[i];
            params.add(d);
        }
        return new Mlp(be, architecture, params);
    }

    /**
     * Writes this checkpoint to file in format version 2, replacing any file there only once
     * the new one is complete on the disk; on failure the previous file is as it was and no
     * temporary file remains. The IOException's message names the file and the cause.
     */
    public void save(Path file) throws IOException {
        try {
            AtomicFile.write(file, out -> CheckpointV2.write(this, out));
        } catch (IOException e) {
            String cause = e.getMessage() == null ? e.getClass().getSimpleName()
                    : e instanceof FileSystemException ? e.getMessage() + " (" + e.getClass().getSimpleName() + ")"
                    : e.getMessage();
            throw new IOException("cannot save checkpoint " + file + ": " + cause, e);
        }
    }

    /** Reads a checkpoint of either format version; a file that is not a valid one is a CheckpointException naming the field. */
    public static Checkpoint load(Path file) {
        try (InputStream is = Files.newInputStream(file)) {
            return read(file, new BufferedInputStream(is), Files.size(file));
        } catch (NoSuchFileException e) {
            throw new CheckpointException(file, "no such file");
        } catch (IOException e) {
            throw new CheckpointException(file, "cannot read: " + e.getMessage(), e);
        }
    }

    /** Reads a checkpoint of size bytes from in: v1 if it starts with HNETCKPT, else v2; file names it in errors. */
    static Checkpoint read(Path file, InputStream is, long size) throws IOException {
        PushbackInputStream in = new PushbackInputStream(is, CheckpointV1.MAGIC.length);
        byte[] start = in.readNBytes(CheckpointV1.MAGIC.length);
        in.unread(start);
        Checkpoint c = Arrays.equals(start, CheckpointV1.MAGIC)
                ? CheckpointV1.read(file, new DataInputStream(in), size)
                : CheckpointV2Reader.read(file, in, size);
        c.requireFinite(file);
        return c;
    }

    /** Refuses NaN and infinite parameters: a network that diverged is no model to evaluate. */
    private void requireFinite(Path file) {
        List<String> names = CheckpointV2.names(architecture);
        for (int i = 0; i < parameters.size(); i++) {
            float[] p = parameters.get(i);
            for (int j = 0; j < p.length; j++) {
                if (!Float.isFinite(p[j])) {
                    throw new CheckpointException(file, "field '" + names.get(i) + "'[" + j + "] is " + p[j]
                            + ", expected a finite number (the run that wrote it diverged)");
                }
            }
        }
    }
}
