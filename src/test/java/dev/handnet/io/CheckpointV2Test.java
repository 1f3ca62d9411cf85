package dev.handnet.io;

import dev.handnet.AllocationBudget;
import dev.handnet.cli.HandnetCommand;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static dev.handnet.io.CheckpointFiles.join;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Format version 2 (safetensors) against hostile files: each case is refused with the file and the field named. */
class CheckpointV2Test {

    private static final Path FILE = Path.of("model.hnet");
    private static final Checkpoint SMALL = CheckpointFiles.small();
    /** The 3-2-2 network's file: 8 + 440 header bytes, then 56 bytes of data (W0 [3, 2], b0 [2], W1 [2, 2], b1 [2]). */
    private static final byte[] GOOD = CheckpointFiles.v2(SMALL);
    private static final CheckpointFiles.Parts PARTS = CheckpointFiles.split(GOOD);
    private static final int DATA = 8 + PARTS.header().length();

    @TempDir
    Path dir;

    @Test
    void aSavedFileIsSafetensorsWithItsDataAlignedAndLoadsBackIdentical() throws IOException {
        Path file = dir.resolve("m.hnet");
        SMALL.save(file);
        assertArrayEquals(GOOD, Files.readAllBytes(file));
        assertEquals(0, DATA % 8, "the data starts 8-byte aligned");
        assertTrue(PARTS.header().startsWith("{\"__metadata__\":{\"format\":\"handnet\",\"handnet.format_version\":\"2\",\"sizes\":\"3,2,2\""),
                PARTS.header());
        assertSameAsSmall(Checkpoint.load(file));
    }

    @Test
    void aFileWrittenByPythonSafetensorsLoads() throws Exception {
        Path file = Path.of(getClass().getResource("written-by-python-safetensors.hnet").toURI());
        Checkpoint c = Checkpoint.load(file), sample = CheckpointFiles.sample();
        assertEquals(sample.architecture().describe(), c.architecture().describe());
        for (int i = 0; i < c.parameters().size(); i++) assertArrayEquals(sample.parameters().get(i), c.parameters().get(i));
        assertEquals(Map.of("epoch", "3"), c.metadata());
    }

    @Test
    void truncatedAtEveryByte() {
        for (int n = 0; n < GOOD.length; n++) assertError(Arrays.copyOf(GOOD, n), "");
    }

    @Test
    void truncatedInsideTheLength() {
        assertError(Arrays.copyOf(GOOD, 5), "field 'header length' is cut off: the file has 5 bytes, expected at least 8");
    }

    @Test
    void truncatedInsideTheHeader() {
        assertError(Arrays.copyOf(GOOD, 100), "field 'header length' is 440, but 92 bytes follow it");
    }

    @Test
    void truncatedInsideTheData() {
        assertError(Arrays.copyOf(GOOD, GOOD.length - 3), "field 'sizes' 3,2,2 needs 56 bytes of parameters, but the data buffer has 53");
    }

    @Test
    void aFlippedBitInTheLengthOrHeaderIsAnErrorOrMeansTheSame() {
        int same = 0;
        for (int i = 0; i < DATA; i++) {
            for (int bit = 0; bit < 8; bit++) {
                byte[] flipped = GOOD.clone();
                flipped[i] ^= (byte) (1 << bit);
                try {
                    assertSameAsSmall(read(flipped));
                    same++;
                } catch (CheckpointException e) {
                    assertTrue(e.getMessage().startsWith(FILE + ": field '"), e.getMessage());
                }
            }
        }
        // the sha256's hex letters a-f in upper case: the same digest
        assertTrue(same > 0 && same < 64, same + " flips load the same network");
    }

    @Test
    void aFlippedBitInTheDataIsAChecksumError() {
        for (int i = DATA; i < GOOD.length; i++) {
            for (int bit = 0; bit < 8; bit++) {
                byte[] flipped = GOOD.clone();
                flipped[i] ^= (byte) (1 << bit);
                assertError(flipped, "field 'sha256' does not match the data: payload checksum mismatch: the file is corrupted");
            }
        }
    }

    @Test
    void aHeaderLengthPastTheFile() {
        assertError(withLength(GOOD.length), "field 'header length' is 504, but 496 bytes follow it");
    }

    @Test
    void aHeaderLengthOf2GiB() {
        assertError(withLength(1L << 31), "field 'header length' is 2147483648, but 496 bytes follow it");
    }

    @Test
    void aHeaderLengthOf2To63() {
        assertError(withLength(Long.MIN_VALUE), "field 'header length' is 9223372036854775808, but 496 bytes follow it");
    }

    @Test
    void aHeaderLengthOf2To64Minus1() {
        assertError(withLength(-1), "field 'header length' is 18446744073709551615, but 496 bytes follow it");
    }

    @Test
    void aHeaderLengthOverTheCapIsRefusedBeforeReadingIt() {
        // a 1 TiB "file" that claims a 32 MiB header: refused without allocating the header
        InputStream in = new ByteArrayInputStream(Arrays.copyOf(le(32L << 20), 8));
        CheckpointException e = assertThrows(CheckpointException.class, () -> AllocationBudget.within(8, 4, () -> {
            try {
                return Checkpoint.read(FILE, in, 1L << 40);
            } catch (IOException x) {
                throw new UncheckedIOException(x);
            }
        }));
        assertTrue(e.getMessage().contains("field 'header length' is 33554432, expected at most 16777216"), e.getMessage());
    }

    @Test
    void aHeaderThatIsNotJson() {
        assertError(header("{not json}"), "field 'header' is not valid JSON: Unexpected character ('n'");
    }

    @Test
    void aHeaderThatIsJsonButNotAnObject() {
        assertError(header("[1, 2]"), "field 'header' does not start with '{', expected a JSON object");
        assertError(header("\"W0\""), "field 'header' does not start with '{', expected a JSON object");
    }

    @Test
    void somethingAfterTheHeadersObject() {
        assertError(header(PARTS.header().strip() + " {}"), "field 'header' is followed by an object, expected only spaces");
    }

    @Test
    void aHeaderThatIsNotUtf8() {
        byte[] bad = GOOD.clone();
        bad[8 + PARTS.header().indexOf("sigmoid")] = (byte) 0xff;
        assertError(bad, "field '__metadata__.activation' is not valid JSON: Invalid UTF-8 start byte 0xff");
    }

    @Test
    void aHeaderWithANulByte() {
        byte[] bad = GOOD.clone();
        bad[DATA - 1] = 0;
        assertError(bad, "field 'header' holds a NUL byte, expected UTF-8 JSON");
    }

    @Test
    void aDuplicateTensorKey() {
        assertError(PARTS.replace("\"b1\":", "\"b0\":"), "field 'b0' is not valid JSON: Duplicate field 'b0'");
    }

    @Test
    void aDuplicateMetadataKey() {
        assertError(PARTS.replace("\"head\":\"ce\"", "\"sizes\":\"1,1\""), "field '__metadata__.sizes' is not valid JSON: Duplicate");
    }

    @Test
    void aMissingTensor() {
        String h = PARTS.header().strip();
        assertError(header(h.substring(0, h.indexOf(",\"b1\"")) + "}"), "field 'b1' is missing, expected a tensor of shape [2]");
    }

    @Test
    void anExtraTensor() {
        assertError(PARTS.replace("}}", "},\"W2\":{\"dtype\":\"F32\",\"shape\":[2,2],\"data_offsets\":[56,72]}}"),
                "field 'W2' is not a tensor of this network, expected only W0, b0, W1, b1 for sizes 3,2,2");
    }

    @Test
    void dtypeF16() {
        assertError(PARTS.replace("\"dtype\":\"F32\",\"shape\":[2,2]", "\"dtype\":\"F16\",\"shape\":[2,2]"), "field 'W1' has dtype F16, expected F32");
    }

    @Test
    void dtypeF64() {
        assertError(PARTS.replace("\"dtype\":\"F32\",\"shape\":[3,2]", "\"dtype\":\"F64\",\"shape\":[3,2]"), "field 'W0' has dtype F64, expected F32");
    }

    @Test
    void aShapeThatDisagreesWithTheSizes() {
        assertError(PARTS.replace("[2,2]", "[2,3]"), "field 'W1' has shape [2, 3], expected [2, 2] for sizes 3,2,2");
        assertError(PARTS.replace("[2,2]", "[4]"), "field 'W1' has shape [4], expected [2, 2] for sizes 3,2,2");
    }

    @Test
    void overlappingOffsets() {
        assertError(header(PARTS.header().replace("[24,32]", "[20,28]").replace("[32,48]", "[28,44]")),
                "field 'b0' has data_offsets [20, 28], expected to begin at 24 (it overlaps the tensor before it)");
    }

    @Test
    void aGapBetweenOffsets() {
        assertError(PARTS.replace("[32,48]", "[36,52]"),
                "field 'W1' has data_offsets [36, 52], expected to begin at 32 (a gap before it)");
    }

    @Test
    void offsetsPastTheBuffer() {
        assertError(PARTS.replace("[48,56]", "[56,64]"), "field 'b1' has data_offsets [56, 64], past the end of the 56-byte data buffer");
    }

    @Test
    void offsetsThatEndBeforeTheyBegin() {
        assertError(PARTS.replace("[48,56]", "[56,48]"), "field 'b1' has data_offsets [56, 48], expected end >= begin");
    }

    @Test
    void negativeOffsets() {
        assertError(PARTS.replace("[0,24]", "[-8,16]"), "field 'W0.data_offsets[0]' is -8, expected an integer from 0 to 2^63 - 1");
    }

    @Test
    void offsetsPastTwoTo63() {
        assertError(PARTS.replace("[48,56]", "[48,18446744073709551615]"), "field 'b1.data_offsets[1]' is 18446744073709551615, expected an integer");
    }

    @Test
    void trailingBytesAfterTheBuffer() {
        assertError(join(GOOD, new byte[4]), "field 'data' has 4 trailing bytes: the tensors cover 56 of its 60 bytes");
    }

    @Test
    void sha256Missing() {
        String sha = sha();
        assertError(PARTS.replace(",\"sha256\":\"" + sha + "\"", ""), "field 'sha256' is missing from __metadata__, expected the SHA-256");
    }

    @Test
    void sha256Wrong() {
        String sha = sha();
        assertError(PARTS.replace(sha, sha.substring(1) + (sha.charAt(0) == '0' ? "1" : "0")), "payload checksum mismatch: the file is corrupted");
    }

    @Test
    void sha256NotHex() {
        String sha = sha();
        assertError(PARTS.replace(sha, "xyz" + sha.substring(3)), "field 'sha256' is 'xyz");
        assertError(PARTS.replace(sha, sha.substring(2)), "expected 64 hex digits");
    }

    @Test
    void noMetadata() {
        String h = PARTS.header().strip();
        assertError(header("{" + h.substring(h.indexOf("\"W0\""))), "field '__metadata__' is missing, expected handnet's");
    }

    @Test
    void metadataWithoutSizes() {
        assertError(PARTS.replace("\"sizes\":\"3,2,2\",", ""), "field 'sizes' is missing from __metadata__, expected layer sizes such as 784,100,10");
    }

    @Test
    void sizesThatAreNotNumbers() {
        assertError(PARTS.replace("\"3,2,2\"", "\"3,two,2\""), "field 'sizes' is '3,two,2', expected sizes from 1 to 2147483647");
        assertError(PARTS.replace("\"3,2,2\"", "\"3,0,2\""), "field 'sizes' is '3,0,2', expected sizes from 1");
        assertError(PARTS.replace("\"3,2,2\"", "\"3,2147483648,2\""), "field 'sizes' is '3,2147483648,2'");
        assertError(PARTS.replace("\"3,2,2\"", "\"3\""), "field 'sizes' has 1 sizes, expected 2 to 1000");
    }

    @Test
    void sizesWhoseParametersOverflowAreRefusedBeforeAllocating() {
        byte[] huge = PARTS.replace("\"3,2,2\"", "\"2147483647,2147483647,2\"");
        CheckpointException e = assertThrows(CheckpointException.class, () -> AllocationBudget.within(huge.length, 4, () -> read(huge)));
        assertTrue(e.getMessage().contains("field 'sizes' 2147483647,2147483647,2: W0 has 4611686014132420609 parameters, expected at most 2147483639"),
                e.getMessage());
        byte[] big = PARTS.replace("\"3,2,2\"", "\"30000,20000,2\"");
        e = assertThrows(CheckpointException.class, () -> AllocationBudget.within(big.length, 4, () -> read(big)));
        assertTrue(e.getMessage().contains("field 'sizes' 30000,20000,2 needs more than 2400080000 bytes of parameters, but the data buffer has 56"),
                e.getMessage());
    }

    @Test
    void anUnknownActivation() {
        assertError(PARTS.replace("\"sigmoid\"", "\"relu\""), "field 'activation' is 'relu', expected one of [sigmoid, identity]");
    }

    @Test
    void anUnknownHead() {
        assertError(PARTS.replace("\"head\":\"ce\"", "\"head\":\"CE\""), "field 'head' is 'CE', expected one of [mse, linear, ce, tutorial]");
    }

    @Test
    void aBiasThatIsNotTrueOrFalse() {
        assertError(PARTS.replace("\"bias\":\"true\"", "\"bias\":\"1\""), "field 'bias' is '1', expected true or false");
    }

    @Test
    void anotherFormatOrVersion() {
        assertError(PARTS.replace("\"format\":\"handnet\"", "\"format\":\"pt\""), "field 'format' is 'pt', expected 'handnet'");
        assertError(PARTS.replace("\"handnet.format_version\":\"2\"", "\"handnet.format_version\":\"3\""),
                "field 'handnet.format_version' is '3', expected 2 (this handnet reads format versions 1 and 2)");
    }

    @Test
    void aMetadataValueThatIsNotAString() {
        assertError(PARTS.replace("\"bias\":\"true\"", "\"bias\":true"), "field '__metadata__.bias' is a boolean, expected a string");
    }

    @Test
    void anUnknownKeyInATensor() {
        assertError(PARTS.replace("\"shape\":[2],\"data_offsets\":[24,32]", "\"shape\":[2],\"data_offsets\":[24,32],\"scale\":2"),
                "field 'b0' has the unknown key 'scale', expected dtype, shape and data_offsets");
    }

    @Test
    void aNaNWeight() {
        assertError(CheckpointFiles.v2(withValue(2, 3, Float.NaN)), "field 'W1'[3] is NaN, expected a finite number (the run that wrote it diverged)");
    }

    @Test
    void anInfiniteWeight() {
        assertError(CheckpointFiles.v2(withValue(1, 0, Float.POSITIVE_INFINITY)), "field 'b0'[0] is Infinity, expected a finite number");
    }

    @Test
    void evaluateRefusesADivergedCheckpoint() throws IOException {
        Path file = dir.resolve("diverged.hnet");
        withValue(2, 3, Float.NaN).save(file);
        StringWriter out = new StringWriter(), err = new StringWriter();
        int code = HandnetCommand.run(new PrintWriter(out, true), new PrintWriter(err, true), "evaluate", file.toString(), "--device", "cpu");
        assertEquals(1, code, out.toString());
        assertEquals("handnet evaluate: error: " + file + ": field 'W1'[3] is NaN, expected a finite number (the run that wrote it diverged)",
                err.toString().strip());
    }

    @Test
    void anEmptyFile() {
        assertError(new byte[0], "field 'file' is empty, expected a checkpoint");
    }

    @Test
    void aFileOfOnlyZeros() {
        assertError(new byte[4096], "field 'header' does not start with '{', expected a JSON object");
    }

    private static Checkpoint withValue(int parameter, int index, float value) {
        List<float[]> params = new ArrayList<>();
        for (float[] p : SMALL.parameters()) params.add(p.clone());
        params.get(parameter)[index] = value;
        return new Checkpoint(SMALL.architecture(), params);
    }

    private static String sha() {
        String h = PARTS.header();
        int at = h.indexOf("\"sha256\":\"") + 10;
        return h.substring(at, at + 64);
    }

    /** The good file with another header. */
    private static byte[] header(String json) {
        return new CheckpointFiles.Parts(json, PARTS.data()).file();
    }

    /** The good file with its header length replaced. */
    private static byte[] withLength(long n) {
        byte[] b = GOOD.clone();
        System.arraycopy(le(n), 0, b, 0, 8);
        return b;
    }

    private static byte[] le(long n) {
        return ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(n).array();
    }

    private static Checkpoint read(byte[] bytes) {
        try {
            return Checkpoint.read(FILE, new ByteArrayInputStream(bytes), bytes.length);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void assertSameAsSmall(Checkpoint c) {
        assertEquals(SMALL.architecture().describe(), c.architecture().describe());
        assertArrayEquals(SMALL.architecture().sizes(), c.architecture().sizes());
        for (int i = 0; i < c.parameters().size(); i++) assertArrayEquals(SMALL.parameters().get(i), c.parameters().get(i));
    }

    /** Loading bytes from a file fails with a message that starts with the file and holds expected. */
    private void assertError(byte[] bytes, String expected) {
        CheckpointException e = assertThrows(CheckpointException.class, () -> read(bytes), () -> "no error for " + bytes.length + " bytes");
        assertTrue(e.getMessage().startsWith(FILE + ": "), e.getMessage());
        assertTrue(e.getMessage().contains(expected), e.getMessage());
        assertEquals(1, e.getMessage().lines().count(), e.getMessage());
    }
}
