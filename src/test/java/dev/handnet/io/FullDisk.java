package dev.handnet.io;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.function.UnaryOperator;

/** For tests, also of other packages: checkpoint saves fail after some bytes as on a full disk, until closed. */
public final class FullDisk implements AutoCloseable {

    private final UnaryOperator<OutputStream> before;

    private FullDisk(long bytes) {
        before = AtomicFile.streamFilter;
        AtomicFile.streamFilter = out -> new FilterOutputStream(out) {
            long written;

            @Override
            public void write(int b) throws IOException {
                if (++written > bytes) throw new IOException("No space left on device");
                out.write(b);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                for (int i = 0; i < len; i++) write(b[off + i]);
            }
        };
    }

    /** Saves fail once bytes have gone into the temporary file. */
    public static FullDisk after(long bytes) {
        return new FullDisk(bytes);
    }

    @Override
    public void close() {
        AtomicFile.streamFilter = before;
    }
}
