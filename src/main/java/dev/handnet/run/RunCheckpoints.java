package dev.handnet.run;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.handnet.io.Checkpoint;
import dev.handnet.nn.EpochReport;
import dev.handnet.nn.Mlp;
import dev.handnet.nn.RandomState;
import dev.handnet.nn.Trainer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.random.RandomGenerator;

/**
 * A run's checkpoints: last.hnet after every epoch (and when stopped mid-epoch), best.hnet at
 * the best test accuracy so far, and a copy at --save. Each carries what an exact resume needs in
 * its metadata: {@code epoch} (whole epochs done), {@code batch} (batches of the next one done),
 * {@code rng} (the generator's state at the start of that next epoch), {@code config} (the
 * run's settings as JSON) and {@code data_sha256} (its data files' checksums, as JSON).
 */
public final class RunCheckpoints {

    private final RunFolder run;
    private final Path copy;
    private final String config;
    /** The data folder's files and their SHA-256, as JSON. */
    private final String data;
    private double best = -1;
    private int lastSaved;

    /** copy: also written after every epoch (--save), or null; sums: the data files' SHA-256 ({@link RunRecords#checksums}). */
    public RunCheckpoints(RunFolder run, Path copy, TrainSettings settings, java.util.Map<String, String> sums) {
        this.run = run;
        this.copy = copy;
        try {
            var compact = RunRecords.JSON.writer().without(com.fasterxml.jackson.databind.SerializationFeature.INDENT_OUTPUT);
            this.config = compact.writeValueAsString(settings);
            this.data = compact.writeValueAsString(sums);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** After epoch r.epoch(): rng is now at the next epoch's start. */
    public void epochDone(Mlp net, EpochReport r, RandomGenerator rng) {
        Checkpoint c = checkpoint(net, r.epoch(), 0, RandomState.save(rng));
        save(c, run.last());
        if (copy != null) save(c, copy);
        if (r.test().accuracy() > best) {
            best = r.test().accuracy();
            save(c.with("test_accuracy", Double.toString(best)), run.best());
        }
        lastSaved = r.epoch();
    }

    /** Stopped by request mid-epoch: the steps done so far, resumable from where they stopped. */
    public void stopped(Mlp net, Trainer.Stopped s) {
        save(checkpoint(net, s.epoch - 1, s.batchesDone, s.rngAtEpochStart), run.last());
    }

    /** The epoch the last save finished (0: none this process). */
    public int lastSaved() {
        return lastSaved;
    }

    private Checkpoint checkpoint(Mlp net, int epoch, int batch, String rng) {
        return Checkpoint.of(net).with("epoch", Integer.toString(epoch)).with("batch", Integer.toString(batch))
                .with("rng", rng).with("config", config).with("data_sha256", data);
    }

    private static void save(Checkpoint c, Path file) {
        try {
            c.save(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e.getMessage(), e);  // names the file and the cause
        }
    }

    /** Where a run folder's last.hnet continues from: its network, resume point and generator. */
    public record Resumed(Checkpoint checkpoint, Trainer.Resume from, RandomGenerator rng) {
    }

    /** Reads run's last.hnet for --resume; an error naming the file when it lacks what a resume needs. */
    public static Resumed resume(RunFolder run) {
        Path file = run.last();
        if (!java.nio.file.Files.exists(file)) {
            throw new IllegalArgumentException(run.dir() + ": no last.hnet to resume from (the run saved no checkpoint)");
        }
        Checkpoint c = Checkpoint.load(file);
        try {
            int epoch = Integer.parseInt(field(c, file, "epoch")), batch = Integer.parseInt(field(c, file, "batch"));
            return new Resumed(c, new Trainer.Resume(epoch, batch), RandomState.restore(field(c, file, "rng")));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": metadata cannot resume the run: " + e.getMessage(), e);
        }
    }

    private static String field(Checkpoint c, Path file, String key) {
        String v = c.metadata().get(key);
        if (v == null) throw new IllegalArgumentException("no field '" + key + "' (written by a handnet without --resume?)");
        return v;
    }
}
