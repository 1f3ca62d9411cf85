package dev.handnet.data;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.handnet.AllocationBudget;

import java.math.BigInteger;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Fuzz targets for the IDX reader: any bytes, raw or gzip, as an image file and as a label
 * file. The only acceptable outcomes are a parsed file that agrees with its header or a
 * DataFileException naming the file; any other exception, an OutOfMemoryError, an allocation
 * out of proportion to the input (AllocationBudget) or a hang is a finding. Under mvn test
 * they run over IdxReaderFuzzTestInputs/<method>/ in src/test/resources; README "Fuzzing"
 * says how to fuzz.
 */
class IdxReaderFuzzTest {

    private static final Path FILE = Path.of("fuzz-input-idx3-ubyte");
    /** Deflate expands at most 1032:1; a gzip input may justify that much, a raw one 1:1. */
    private static final int GZIP_RATIO = 1032;

    @FuzzTest(maxDuration = "3m")
    void images(byte[] input) {
        check(input, IdxReader.IMAGES_MAGIC);
    }

    @FuzzTest(maxDuration = "3m")
    void labels(byte[] input) {
        check(input, IdxReader.LABELS_MAGIC);
    }

    private static void check(byte[] input, int magic) {
        boolean gzip = input.length >= 2 && (input[0] & 0xff) == 0x1f && (input[1] & 0xff) == 0x8b;
        IdxFile idx;
        try {
            idx = AllocationBudget.within(input.length, 4L * (gzip ? GZIP_RATIO : 1),
                    () -> IdxReader.parse(FILE, IdxReader.decode(FILE, input), magic));
        } catch (DataFileException e) {
            assertTrue(e.getMessage().startsWith(FILE + ": "), "the message names the file: " + e.getMessage());
            return;
        }
        assertEquals(magic == IdxReader.IMAGES_MAGIC ? 3 : 1, idx.dims().length);
        BigInteger items = BigInteger.ONE;
        for (int d : idx.dims()) items = items.multiply(BigInteger.valueOf(d));
        assertEquals(BigInteger.valueOf(idx.data().length), items, "the data is exactly what the dimensions say");
        if (!gzip) assertEquals(input.length, 4 + 4 * idx.dims().length + idx.data().length);
    }
}
