package dev.handnet.io;

import dev.handnet.nn.EpochReport;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/** Per-epoch metrics as CSV, one row written (and flushed) per epoch. */
public final class MetricsFile implements AutoCloseable {

    static final String HEADER = "epoch,batch_loss,train_loss,train_accuracy,test_loss,test_accuracy,train_seconds,eval_seconds,"
            + "samples_per_second";

    private final Path path;
    private final BufferedWriter out;

    private MetricsFile(Path path, BufferedWriter out) {
        this.path = path;
        this.out = out;
    }

    /** A new file with its header (an existing one is replaced). */
    public static MetricsFile create(Path path) throws IOException {
        Path parent = path.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        MetricsFile f = new MetricsFile(path, Files.newBufferedWriter(path));
        f.line(HEADER);
        return f;
    }

    /** The file continued (a resumed run): rows are added after those there; the header only when it is new or empty. */
    public static MetricsFile continued(Path path) throws IOException {
        if (!Files.exists(path) || Files.size(path) == 0) return create(path);
        return new MetricsFile(path, Files.newBufferedWriter(path, java.nio.file.StandardOpenOption.APPEND));
    }

    /** One epoch's row; samples: the training rows its steps went through. */
    public void append(EpochReport r, long samples) {
        line(String.format(Locale.ROOT, "%d,%.8f,%.8f,%.6f,%.8f,%.6f,%.4f,%.4f,%.1f", r.epoch(), r.batchLoss(),
                r.train().loss(), r.train().accuracy(), r.test().loss(), r.test().accuracy(), r.trainSeconds(),
                r.evalSeconds(), samples / Math.max(1e-9, r.trainSeconds())));
    }

    private void line(String text) {
        try {
            out.write(text);
            out.newLine();
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + path + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() throws IOException {
        out.close();
    }
}
