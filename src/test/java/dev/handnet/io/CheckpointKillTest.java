package dev.handnet.io;

import dev.handnet.cli.HandnetCommand;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Real training processes killed with SIGKILL at many points, many of them inside a save: after
 * every kill the checkpoint, where there is one, is a whole v2 file whose checksum holds, and
 * the temporary files the kills left are gone after the next process saved. About 30 JVM starts:
 * tagged slow (about 105 s on 2 busy cores): left out of a plain {@code mvn test}; .ci/run runs it with
 * {@code mvn -B -o surefire:test -Dgroups=slow -Dhandnet.excludedGroups=soak}.
 */
@Tag("slow")
class CheckpointKillTest {

    private static final int KILLS = 30;

    @TempDir
    Path dir;

    @Test
    void aTrainingProcessKilledAtAnyPointLeavesALoadableCheckpoint() throws Exception {
        Path data = tinyMnist(dir.resolve("data"));
        Path model = dir.resolve("run/m.hnet"), runs = dir.resolve("runs");
        Files.createDirectories(model.getParent());
        Random random = new Random(7);
        Set<Path> leftBehind = new HashSet<>();
        int duringSave = 0, loaded = 0;
        for (int k = 0; k < KILLS; k++) {
            Process p = train(data, model, runs);
            Set<Path> runTemporaries = new HashSet<>(runFolderTemporaries(runs));
            try {
                if (k % 6 == 0) {
                    TimeUnit.MILLISECONDS.sleep(100 + 150L * k / 6);   // while it starts, before or at its first save
                } else {
                    awaitSaving(model, p, leftBehind);                  // after its first save began: saves dominate
                    TimeUnit.MILLISECONDS.sleep(random.nextInt(400));
                }
            } finally {
                p.destroyForcibly();                                    // SIGKILL on Linux
                p.waitFor();
            }
            List<Path> tmp = temporaryFiles(model);
            tmp.removeAll(leftBehind);
            List<Path> inRunFolder = runFolderTemporaries(runs);
            inRunFolder.removeAll(runTemporaries);
            if (!tmp.isEmpty() || !inRunFolder.isEmpty()) duringSave++;
            leftBehind.addAll(tmp);
            if (Files.exists(model)) {
                byte[] head = Arrays.copyOf(Files.readAllBytes(model), 8);
                assertFalse(Arrays.equals(head, CheckpointV1.MAGIC), "a v2 file");
                Checkpoint c = Checkpoint.load(model);                  // checks the SHA-256 and every field
                assertEquals("784-2000-10 sigmoid, head ce, biases", c.architecture().describe());
                loaded++;
            }
        }
        // one more run that saves at least twice: the temporary files of the kills are gone
        Process p = train(data, model, runs);
        try {
            awaitNewCheckpoint(model, p);
            awaitNewCheckpoint(model, p);
        } finally {
            p.destroyForcibly();
            p.waitFor();
        }
        for (Path t : leftBehind) assertFalse(Files.exists(t), t + " is removed by a later save");
        System.out.printf("CheckpointKillTest: %d kills, %d left a temporary file (killed inside a save), %d checkpoints loaded%n",
                KILLS, duringSave, loaded);
        assertTrue(duringSave >= 3, duringSave + " kills landed inside a save");
        assertTrue(loaded >= KILLS / 2, loaded + " checkpoints loaded");
    }

    /**
     * handnet train in a fresh JVM: a 784-2000-10 network (6.4 MB checkpoints) on 4 rows, so saving is
     * most of its time; each epoch saves its run folder's last.hnet (and best.hnet) under runs, then model.
     */
    private static Process train(Path data, Path model, Path runs) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                "--add-modules", "jdk.incubator.vector", HandnetCommand.class.getName(),
                "train", "--device", "cpu", "--limit", "4", "--epochs", "1000", "--hidden", "2000",
                "--data", data.toString(), "--save", model.toString());
        pb.environment().put("HANDNET_RUNS", runs.toString());
        pb.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        return pb.start();
    }

    /** Waits until p began to save model: a new temporary file, or a new checkpoint. */
    private static void awaitSaving(Path model, Process p, Set<Path> leftBehind) throws Exception {
        Object before = inode(model);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (Objects.equals(inode(model), before) && leftBehind.containsAll(temporaryFiles(model))) {
            assertTrue(p.isAlive(), "training exited with " + (p.isAlive() ? 0 : p.exitValue()));
            assertTrue(System.nanoTime() < deadline, "no save within 30 s");
            TimeUnit.MILLISECONDS.sleep(5);
        }
    }

    /** Waits until model is replaced by a new file. */
    private static void awaitNewCheckpoint(Path model, Process p) throws Exception {
        Object before = inode(model);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (Objects.equals(inode(model), before)) {
            assertTrue(p.isAlive(), "training exited");
            assertTrue(System.nanoTime() < deadline, "no save within 30 s");
            TimeUnit.MILLISECONDS.sleep(5);
        }
    }

    /** The file's inode number (each save renames a new file over it), or null while there is none. */
    private static Object inode(Path file) {
        try {
            return Files.readAttributes(file, "unix:ino").get("ino");
        } catch (IOException e) {
            return null;
        }
    }

    /** Temporary files of checkpoints in the run folders under runs: a kill inside a run folder's save. */
    private static List<Path> runFolderTemporaries(Path runs) throws IOException {
        if (!Files.isDirectory(runs)) return new java.util.ArrayList<>();
        try (Stream<Path> files = Files.walk(runs, 2)) {
            return files.filter(f -> f.getFileName().toString().matches("\\..*\\.hnet\\.[0-9a-f]{16}\\.tmp")).collect(Collectors.toList());
        }
    }

    private static List<Path> temporaryFiles(Path model) throws IOException {
        String prefix = "." + model.getFileName() + ".";
        try (Stream<Path> files = Files.list(model.getParent())) {
            return files.filter(f -> f.getFileName().toString().startsWith(prefix)).collect(Collectors.toList());
        }
    }

    /** MNIST's four IDX files with 40 random 28 x 28 images each: starts in milliseconds, unlike all of MNIST. */
    private static Path tinyMnist(Path dir) throws IOException {
        Files.createDirectories(dir);
        Random r = new Random(1);
        for (String set : List.of("train", "t10k")) {
            byte[] pixels = new byte[40 * 784], labels = new byte[40];
            r.nextBytes(pixels);
            for (int i = 0; i < labels.length; i++) labels[i] = (byte) r.nextInt(10);
            try (DataOutputStream out = new DataOutputStream(Files.newOutputStream(dir.resolve(set + "-images-idx3-ubyte")))) {
                out.writeInt(0x803);
                out.writeInt(40);
                out.writeInt(28);
                out.writeInt(28);
                out.write(pixels);
            }
            try (DataOutputStream out = new DataOutputStream(Files.newOutputStream(dir.resolve(set + "-labels-idx1-ubyte")))) {
                out.writeInt(0x801);
                out.writeInt(40);
                out.write(labels);
            }
        }
        return dir;
    }
}
