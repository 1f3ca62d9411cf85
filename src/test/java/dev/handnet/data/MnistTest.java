package dev.handnet.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static dev.handnet.data.IdxFiles.idx;
import static dev.handnet.data.IdxFiles.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MnistTest {

    @TempDir
    Path dir;

    @Test
    void loadsTheFourFileLayoutScaledToUnitRangeWithOneHotTargets() {
        IdxFiles.writeMnistLayout(dir, 12);
        Mnist.Split s = Mnist.load(dir);
        assertEquals(12, s.train().rows());
        assertEquals(4, s.train().features());
        assertEquals(37 / 255f, s.train().x()[1]);
        assertEquals(3, s.test().labels()[3]);
        float[] t = s.train().oneHot();
        assertEquals(1f, t[10 + 1]);
        assertEquals(12f, sum(t));
    }

    @Test
    void imageAndLabelCountsMustMatch() {
        IdxFiles.writeMnistLayout(dir, 12);
        Path labels = write(dir.resolve("t10k-labels-idx1-ubyte"), idx(IdxReader.LABELS_MAGIC, new int[] {11}, new byte[11]));
        DataFileException e = assertThrows(DataFileException.class, () -> Mnist.load(dir));
        assertTrue(e.getMessage().startsWith(labels.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("has 11 labels but t10k-images-idx3-ubyte.gz has 12 images"), e.getMessage());
    }

    @Test
    void aLabelOutsideZeroToNineIsReported() {
        IdxFiles.writeMnistLayout(dir, 12);
        byte[] labels = new byte[12];
        labels[7] = 10;
        write(dir.resolve("train-labels-idx1-ubyte"), idx(IdxReader.LABELS_MAGIC, new int[] {12}, labels));
        DataFileException e = assertThrows(DataFileException.class, () -> Mnist.load(dir));
        assertTrue(e.getMessage().contains("label 7 is 10, expected 0 to 9"), e.getMessage());
    }

    @Test
    void aChecksumMismatchNamesTheFile() throws IOException {
        IdxFiles.writeMnistLayout(dir, 12);
        Files.writeString(dir.resolve("SHA256SUMS"), "0".repeat(64) + "  train-images-idx3-ubyte\n");
        DataFileException e = assertThrows(DataFileException.class, () -> Mnist.load(dir));
        assertTrue(e.getMessage().startsWith(dir.resolve("train-images-idx3-ubyte.gz").toString()), e.getMessage());
        assertTrue(e.getMessage().contains("SHA256SUMS says 000"), e.getMessage());
    }

    @Test
    void aFolderWithSha256SumsMustListEveryFile() throws IOException {
        IdxFiles.writeMnistLayout(dir, 12);
        Files.writeString(dir.resolve("SHA256SUMS"), "0".repeat(64) + "  some-other-file\n");
        DataFileException e = assertThrows(DataFileException.class, () -> Mnist.load(dir));
        assertTrue(e.getMessage().contains("SHA256SUMS in its folder has no line for train-images-idx3-ubyte"), e.getMessage());
    }

    @Test
    void aTruncatedFileIsReportedAsTruncatedEvenWithChecksums() throws IOException {
        IdxFiles.writeMnistLayout(dir, 12);
        Files.writeString(dir.resolve("SHA256SUMS"), "0".repeat(64) + "  train-images-idx3-ubyte\n");
        Files.delete(dir.resolve("train-images-idx3-ubyte.gz"));
        write(dir.resolve("train-images-idx3-ubyte"), new byte[] {0, 0, 8, 3, 0});
        DataFileException e = assertThrows(DataFileException.class, () -> Mnist.load(dir));
        assertTrue(e.getMessage().contains("truncated header"), e.getMessage());
    }

    @Test
    void theCommittedMnistMatchesItsChecksums() {
        Mnist.Split s = Mnist.load(Path.of(System.getenv().getOrDefault("HANDNET_DATA", "data"), "mnist"));
        assertEquals(60000, s.train().rows());
        assertEquals(10000, s.test().rows());
        assertEquals(784, s.train().features());
    }

    private static float sum(float[] v) {
        float s = 0;
        for (float x : v) s += x;
        return s;
    }
}
