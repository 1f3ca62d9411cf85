package dev.handnet.io;

import dev.handnet.nn.Activation;
import dev.handnet.nn.Head;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.stream.Stream;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CheckpointTest {

    @TempDir
    Path dir;

    private static Checkpoint sample() {
        return CheckpointFiles.sample();
    }

    /** The sample as a format version 1 file, as handnet wrote it before version 2. */
    private Path v1File() throws IOException {
        Path file = dir.resolve("m.hnet");
        Files.write(file, CheckpointFiles.v1(sample()));
        return file;
    }

    @Test
    void aSavedCheckpointLoadsBackIdentical() throws IOException {
        Checkpoint c = sample();
        Path file = dir.resolve("sub/model.hnet");
        c.save(file);
        Checkpoint back = Checkpoint.load(file);
        assertArrayEquals(c.architecture().sizes(), back.architecture().sizes());
        assertEquals(Head.TUTORIAL, back.architecture().head());
        assertEquals(Activation.SIGMOID, back.architecture().hidden());
        for (int i = 0; i < c.parameters().size(); i++) assertArrayEquals(c.parameters().get(i), back.parameters().get(i));
        try (Stream<Path> files = Files.list(file.getParent())) {
            assertEquals(1, files.count(), "no temporary file left behind");
        }
    }

    @Test
    void aVersion1FileStillLoads() throws IOException {
        Checkpoint c = sample();
        Checkpoint back = Checkpoint.load(v1File());
        assertArrayEquals(c.architecture().sizes(), back.architecture().sizes());
        assertEquals(c.architecture().describe(), back.architecture().describe());
        for (int i = 0; i < c.parameters().size(); i++) assertArrayEquals(c.parameters().get(i), back.parameters().get(i));
        assertEquals(Map.of(), back.metadata());
    }

    @Test
    void aTruncatedFileNamesTheFieldItEndsIn() throws IOException {
        Path file = v1File();
        byte[] bytes = Files.readAllBytes(file);
        Files.write(file, Arrays.copyOf(bytes, bytes.length - 7));
        assertError(file, "truncated: the file ends inside field 'b1'");
    }

    @Test
    void aWrongMagicOrFieldValueIsNamed() throws IOException {
        Path file = dir.resolve("m.hnet");
        Files.writeString(file, "not a checkpoint at all");
        assertError(file, "field 'header length' is 7521891404167278446, but 15 bytes follow it (not a handnet checkpoint");

        Files.write(file, CheckpointFiles.v1(sample()));
        String text = new String(Files.readAllBytes(file), ISO_8859_1);
        Files.write(file, text.replace("tutorial", "tutorixl").getBytes(ISO_8859_1));
        assertError(file, "field 'head' is 'tutorixl', expected one of [mse, linear, ce, tutorial]");
    }

    @Test
    void aSaveThatFailsMidwayLeavesThePreviousCheckpointIntact() throws IOException {
        Path file = dir.resolve("m.hnet");
        Checkpoint c = sample();
        c.save(file);
        byte[] before = Files.readAllBytes(file);
        // A parameter list that breaks off while writing: the failure comes after the header is written.
        Checkpoint broken = new Checkpoint(c.architecture(), Arrays.asList(c.parameters().get(0), null, null, null));
        assertThrows(NullPointerException.class, () -> broken.save(file));
        assertArrayEquals(before, Files.readAllBytes(file));
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(1, files.count(), "the temporary file is removed");
        }
    }

    @Test
    void trailingBytesABadVersionBiasOrSizesAreRejected() throws IOException {
        Path file = v1File();
        byte[] good = Files.readAllBytes(file);

        Files.write(file, Arrays.copyOf(good, good.length + 1));
        assertError(file, "trailing bytes");

        byte[] version = good.clone();
        version[11] = 7;
        Files.write(file, version);
        assertError(file, "field 'version' is 7, expected 1");

        byte[] count = good.clone();
        count[15] = 1;
        Files.write(file, count);
        assertError(file, "field 'layer sizes' has count 1");

        byte[] huge = good.clone();
        huge[21] = 0x7f;   // the hidden size (4, at bytes 20-23) becomes about 8 million
        Files.write(file, huge);
        assertError(file, "needs");

        String text = new String(good, ISO_8859_1);
        int bias = text.indexOf("tutorial") + "tutorial".length();
        byte[] badBias = good.clone();
        badBias[bias] = 2;
        Files.write(file, badBias);
        assertError(file, "field 'bias' is 2, expected 0 or 1");
    }

    @Test
    void malformedStringsAndOverflowingSizesAreNamed() throws IOException {
        Path file = v1File();
        byte[] good = Files.readAllBytes(file);
        String text = new String(good, ISO_8859_1);

        // found by fuzzing: an invalid modified-UTF-8 byte escaped as UTFDataFormatException, "cannot read"
        byte[] utf = good.clone();
        utf[text.indexOf("sigmoid")] = (byte) 0xff;
        Files.write(file, utf);
        assertError(file, "field 'hidden activation' is not a modified-UTF-8 string");

        // sizes 3, 2^31 - 1, 3 * 2^29 in a 42-byte file: the parameters' bytes wrapped around a long to a
        // negative number and passed the size check, then 3 * (2^31 - 1) wrapped in an int and asked for
        // an 8 GiB float array (OutOfMemoryError)
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.write("HNETCKPT".getBytes(ISO_8859_1));
        out.writeInt(1);
        out.writeInt(3);
        for (int size : new int[] {3, Integer.MAX_VALUE, 3 << 29}) out.writeInt(size);
        out.writeUTF("sigmoid");
        out.writeUTF("ce");
        out.writeByte(0);
        Files.write(file, bytes.toByteArray());
        assertError(file, "field 'layer sizes' [3, 2147483647, 1610612736]: W0 has 6442450941 parameters, expected at most 2147483639");
    }

    @Test
    void aVersion1FileWithNaNOrInfinityIsRefused() throws IOException {
        Checkpoint c = sample();
        c.parameters().get(2)[5] = Float.NaN;
        Path file = dir.resolve("nan.hnet");
        Files.write(file, CheckpointFiles.v1(c));
        assertError(file, "field 'W1'[5] is NaN, expected a finite number (the run that wrote it diverged)");
        c.parameters().get(2)[5] = 0;
        c.parameters().get(3)[2] = Float.NEGATIVE_INFINITY;
        Files.write(file, CheckpointFiles.v1(c));
        assertError(file, "field 'b1'[2] is -Infinity, expected a finite number");
    }

    @Test
    void metadataOfTheCallersOwnSurvivesASave() throws IOException {
        Path file = dir.resolve("m.hnet");
        Checkpoint c = sample().with("epoch", "3").with("config", "{\"lr\": 0.1, \"name\": \"caf\u00e9\"}");
        c.save(file);
        assertEquals(Map.of("epoch", "3", "config", "{\"lr\": 0.1, \"name\": \"caf\u00e9\"}"), Checkpoint.load(file).metadata());
        assertThrows(IllegalArgumentException.class, () -> c.with("sizes", "1,1"));
        assertThrows(IllegalArgumentException.class, () -> c.with("sha256", "00"));
    }

    static void assertError(Path file, String expected) {
        CheckpointException e = assertThrows(CheckpointException.class, () -> Checkpoint.load(file));
        assertTrue(e.getMessage().startsWith(file.toString()), e.getMessage());
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }
}
