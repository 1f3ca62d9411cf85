package dev.handnet.io;

import dev.handnet.cli.HandnetCommand;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Saving: a full disk leaves the previous checkpoint as it was, and temporary files do not pile up. */
class CheckpointSaveTest {

    @TempDir
    Path dir;

    @Test
    void aFullDiskNamesTheCheckpointAndLeavesThePreviousOneIntact() throws IOException {
        Path file = dir.resolve("m.hnet");
        CheckpointFiles.small().save(file);
        byte[] before = Files.readAllBytes(file);
        Checkpoint next = CheckpointFiles.sample();
        // in the length, in the header, in the data, one byte short of the whole file
        for (long n : List.of(0L, 3L, 100L, 500L, (long) CheckpointFiles.v2(next).length - 1)) {
            try (FullDisk full = FullDisk.after(n)) {
                IOException e = assertThrows(IOException.class, () -> next.save(file), "fails after " + n + " bytes");
                assertEquals("cannot save checkpoint " + file + ": No space left on device", e.getMessage());
            }
            assertArrayEquals(before, Files.readAllBytes(file), "the previous checkpoint, after " + n + " bytes");
            assertEquals(List.of(file), files(), "no temporary file remains");
        }
        next.save(file);
        assertEquals(CheckpointFiles.sample().architecture().describe(), Checkpoint.load(file).architecture().describe());
    }

    @Test
    void aFullDiskStopsTrainingWithOneLineNamingTheCheckpoint() throws IOException {
        Path file = dir.resolve("m.hnet");
        CheckpointFiles.small().save(file);
        byte[] before = Files.readAllBytes(file);
        StringWriter out = new StringWriter(), err = new StringWriter();
        int code;
        try (FullDisk full = FullDisk.after(1000)) {
            code = HandnetCommand.run(new PrintWriter(out, true), new PrintWriter(err, true),
                    "train", "--device", "cpu", "--limit", "100", "--epochs", "2", "--hidden", "8", "--save", file.toString(),
                    "--run-dir", dir.resolve("run").toString());
        }
        assertEquals(1, code, out + "" + err);
        // the run folder's last.hnet is the first checkpoint an epoch writes
        assertEquals("handnet train: error: cannot save checkpoint " + dir.resolve("run/last.hnet") + ": No space left on device",
                err.toString().strip());
        assertArrayEquals(before, Files.readAllBytes(file));
        assertEquals(List.of(file, dir.resolve("run")), files(), "no temporary file remains");
        try (var inRun = Files.list(dir.resolve("run"))) {
            assertTrue(inRun.noneMatch(p -> p.getFileName().toString().endsWith(".tmp")), "none in the run folder either");
        }
    }

    @Test
    void temporaryFilesOfAKilledSaveAreRemovedByTheNextSave() throws IOException {
        Path file = dir.resolve("m.hnet");
        Path stale = Files.writeString(dir.resolve(".m.hnet.0123456789abcdef.tmp"), "half a checkpoint");
        Path other = Files.writeString(dir.resolve(".n.hnet.0123456789abcdef.tmp"), "another target's");
        Path mine = Files.writeString(dir.resolve("notes.m.hnet.tmp"), "the user's");
        CheckpointFiles.small().save(file);
        assertEquals(List.of(other, file, mine), files());
        assertTrue(Files.notExists(stale));
    }

    @Test
    void aCheckpointInAFolderThatDoesNotExistYetIsSaved() throws IOException {
        Path file = dir.resolve("a/b/m.hnet");
        CheckpointFiles.small().save(file);
        assertEquals(List.of(file), List.of(Files.list(file.getParent()).toArray(Path[]::new)));
    }

    private List<Path> files() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.sorted().toList();
        }
    }
}
