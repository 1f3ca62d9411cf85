package dev.handnet.io;

import dev.handnet.backend.Precision;
import dev.handnet.backend.cpu.CpuBackend;
import dev.handnet.nn.Activation;
import dev.handnet.nn.Architecture;
import dev.handnet.nn.Head;
import dev.handnet.nn.Mlp;
import dev.handnet.nn.WeightInit;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Locale;
import java.util.Random;

import static java.nio.charset.StandardCharsets.UTF_8;

/** Checkpoints and checkpoint files for tests: v1 as handnet used to write it, v2 taken apart and put together. */
final class CheckpointFiles {

    private CheckpointFiles() {
    }

    /** A 5-4-3 sigmoid network with biases and the tutorial head, seeded. */
    static Checkpoint sample() {
        return network(new int[] {5, 4, 3}, Head.TUTORIAL);
    }

    /** A 3-2-2 network: a v2 file of a few hundred bytes, for sweeps over every byte. */
    static Checkpoint small() {
        return network(new int[] {3, 2, 2}, Head.CE);
    }

    private static Checkpoint network(int[] sizes, Head head) {
        Architecture arch = new Architecture(sizes, Activation.SIGMOID, head, true);
        try (CpuBackend be = new CpuBackend(Precision.FLOAT32, 1);
             Mlp net = Mlp.initialize(be, arch, WeightInit.NORMAL, 0.1, new Random(2))) {
            return Checkpoint.of(net);
        }
    }

    /** c in format version 1, as handnet wrote it before version 2. */
    static byte[] v1(Checkpoint c) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            DataOutputStream out = new DataOutputStream(bytes);
            Architecture a = c.architecture();
            out.write(CheckpointV1.MAGIC);
            out.writeInt(1);
            out.writeInt(a.sizes().length);
            for (int s : a.sizes()) out.writeInt(s);
            out.writeUTF(a.hidden().name().toLowerCase(Locale.ROOT));
            out.writeUTF(a.head().name().toLowerCase(Locale.ROOT));
            out.writeByte(a.bias() ? 1 : 0);
            for (float[] p : c.parameters()) {
                for (float v : p) out.writeFloat(v);
            }
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** c in format version 2, as save writes it. */
    static byte[] v2(Checkpoint c) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            CheckpointV2.write(c, bytes);
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A v2 file's header (padding included) and data buffer. */
    record Parts(String header, byte[] data) {

        /** The file with this header (its length as written) and data. */
        byte[] file() {
            return join(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(header.getBytes(UTF_8).length).array(),
                    header.getBytes(UTF_8), data);
        }

        /** The file with the header's text replaced, so a valid file with one thing changed. */
        byte[] replace(String from, String to) {
            if (!header.contains(from)) throw new AssertionError(from + " is not in " + header);
            return new Parts(header.replace(from, to), data).file();
        }
    }

    static Parts split(byte[] file) {
        int n = (int) ByteBuffer.wrap(file, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        return new Parts(new String(file, 8, n, UTF_8), Arrays.copyOfRange(file, 8 + n, file.length));
    }

    static byte[] join(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) out.writeBytes(p);
        return out.toByteArray();
    }
}
