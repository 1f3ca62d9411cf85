package dev.handnet.io;

import dev.handnet.nn.Activation;
import dev.handnet.nn.Architecture;
import dev.handnet.nn.Head;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UTFDataFormatException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Reads checkpoint format version 1 (docs/checkpoint.md), all numbers big-endian:
 * <pre>
 *   "HNETCKPT"           8 bytes magic
 *   version              int32 = 1
 *   layer sizes          int32 count, then count x int32 (784, 100, 10)
 *   hidden activation    UTF string: sigmoid | identity
 *   head                 UTF string: mse | ce | tutorial | linear
 *   bias                 byte: 1 or 0
 *   parameters           W0 (in x out float32, row-major), b0 (out float32) if bias, W1, b1, ...
 * </pre>
 * handnet no longer writes it; files written before format version 2 still load.
 */
final class CheckpointV1 {

    static final byte[] MAGIC = "HNETCKPT".getBytes(StandardCharsets.US_ASCII);
    static final int VERSION = 1;
    /** Refuse absurd layer counts before reading them; sizes are checked against the file's length. */
    static final int MAX_LAYERS = 1000;
    /** The most elements of one Java array. */
    static final int MAX_ARRAY = Integer.MAX_VALUE - 8;

    private CheckpointV1() {
    }

    /** Reads a v1 checkpoint of size bytes (magic included) from in; file names it in errors. */
    static Checkpoint read(Path file, DataInputStream in, long size) throws IOException {
        Checkpoint c = new Reader(file, in, size).read();
        if (in.read() != -1) throw new CheckpointException(file, "trailing bytes after the last parameter");
        return c;
    }

    /** Reads field by field, so a bad file is reported with the field that was wrong. */
    private record Reader(Path file, DataInputStream in, long fileSize) {

        Checkpoint read() throws IOException {
            byte[] magic = new byte[MAGIC.length];
            field("magic", () -> in.readFully(magic));
            if (!Arrays.equals(magic, MAGIC)) {
                throw new CheckpointException(file, "field 'magic': not a handnet checkpoint (expected the bytes HNETCKPT)");
            }
            int version = readInt("version");
            if (version != VERSION) {
                throw new CheckpointException(file, "field 'version' is " + version + ", expected " + VERSION);
            }
            int count = readInt("layer sizes");
            if (count < 2 || count > MAX_LAYERS) {
                throw new CheckpointException(file, "field 'layer sizes' has count " + count + ", expected 2 to " + MAX_LAYERS);
            }
            int[] sizes = new int[count];
            for (int i = 0; i < count; i++) {
                sizes[i] = readInt("layer sizes");
                if (sizes[i] < 1) throw new CheckpointException(file, "field 'layer sizes'[" + i + "] is " + sizes[i] + ", expected >= 1");
            }
            Activation hidden = readEnum("hidden activation", Activation.class);
            Head head = readEnum("head", Head.class);
            int bias = readByte("bias");
            if (bias != 0 && bias != 1) throw new CheckpointException(file, "field 'bias' is " + bias + ", expected 0 or 1");
            Architecture arch = new Architecture(sizes, hidden, head, bias == 1);
            requireParameterBytes(arch);
            List<float[]> params = new ArrayList<>();
            for (int l = 0; l < arch.layers(); l++) {
                params.add(readFloats("W" + l, arch.in(l) * arch.out(l)));   // checked above: no overflow
                if (arch.bias()) params.add(readFloats("b" + l, arch.out(l)));
            }
            return new Checkpoint(arch, params);
        }

        /**
         * The parameters must fit in the file before anything is allocated for them. Each
         * layer's count is checked on its own, so that 1000 layers of 2^31 x 2^31 cannot
         * wrap the total around, and each array must fit in one Java array.
         */
        private void requireParameterBytes(Architecture arch) {
            long floats = 0;
            for (int l = 0; l < arch.layers(); l++) {
                long weights = (long) arch.in(l) * arch.out(l);
                if (weights > MAX_ARRAY) {
                    throw new CheckpointException(file, "field 'layer sizes' " + Arrays.toString(arch.sizes()) + ": W" + l
                            + " has " + weights + " parameters, expected at most " + MAX_ARRAY);
                }
                floats += weights + (arch.bias() ? arch.out(l) : 0);
                if (floats * Float.BYTES > fileSize) {
                    throw new CheckpointException(file, "field 'layer sizes' " + Arrays.toString(arch.sizes()) + " needs "
                            + (l < arch.layers() - 1 ? "more than " : "") + floats * Float.BYTES
                            + " bytes of parameters, but the file has " + fileSize + " bytes in all");
                }
            }
        }

        private interface Read {
            void run() throws IOException;
        }

        private void field(String name, Read read) throws IOException {
            try {
                read.run();
            } catch (EOFException e) {
                throw new CheckpointException(file, "truncated: the file ends inside field '" + name + "'");
            } catch (UTFDataFormatException e) {
                throw new CheckpointException(file, "field '" + name + "' is not a modified-UTF-8 string ("
                        + e.getMessage() + "), expected a name such as sigmoid or ce");
            }
        }

        private int readInt(String name) throws IOException {
            int[] v = new int[1];
            field(name, () -> v[0] = in.readInt());
            return v[0];
        }

        private int readByte(String name) throws IOException {
            int[] v = new int[1];
            field(name, () -> v[0] = in.readUnsignedByte());
            return v[0];
        }

        private <E extends Enum<E>> E readEnum(String name, Class<E> type) throws IOException {
            String[] v = new String[1];
            field(name, () -> v[0] = in.readUTF());
            for (E e : type.getEnumConstants()) {
                if (e.name().equalsIgnoreCase(v[0])) return e;
            }
            throw new CheckpointException(file, "field '" + name + "' is '" + v[0] + "', expected one of "
                    + Arrays.toString(type.getEnumConstants()).toLowerCase(Locale.ROOT));
        }

        private float[] readFloats(String name, int n) throws IOException {
            float[] v = new float[n];
            field(name, () -> {
                for (int i = 0; i < n; i++) v[i] = in.readFloat();
            });
            return v;
        }
    }
}
