package dev.handnet.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Arrays;

import static dev.handnet.data.IdxFiles.gzip;
import static dev.handnet.data.IdxFiles.idx;
import static dev.handnet.data.IdxFiles.write;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class IdxReaderTest {

    @TempDir
    Path dir;

    private static final byte[] PIXELS = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, (byte) 255, 13, 14, 15, 16, 17};
    private static final byte[] IMAGES = idx(IdxReader.IMAGES_MAGIC, new int[] {2, 3, 3}, PIXELS);

    @Test
    void readsRawAndGzipFilesAlike() {
        IdxFile raw = IdxReader.read(write(dir.resolve("a"), IMAGES), IdxReader.IMAGES_MAGIC);
        IdxFile gz = IdxReader.read(write(dir.resolve("a.gz"), gzip(IMAGES)), IdxReader.IMAGES_MAGIC);
        for (IdxFile f : new IdxFile[] {raw, gz}) {
            assertArrayEquals(new int[] {2, 3, 3}, f.dims());
            assertEquals(2, f.count());
            assertEquals(9, f.itemSize());
            assertArrayEquals(PIXELS, f.data());
        }
    }

    @Test
    void aLabelsFileWhereImagesAreExpectedIsRejectedByItsMagic() {
        Path p = write(dir.resolve("labels"), idx(IdxReader.LABELS_MAGIC, new int[] {3}, new byte[3]));
        assertError(p, IdxReader.IMAGES_MAGIC, "magic number is 2049, expected 2051");
    }

    @Test
    void truncatedDataIsReportedWithTheByteCounts() {
        Path p = write(dir.resolve("short"), Arrays.copyOf(IMAGES, IMAGES.length - 5));
        assertError(p, IdxReader.IMAGES_MAGIC, "truncated: dimensions [2, 3, 3] need 18 data bytes, the file has 13");
    }

    @Test
    void aTruncatedHeaderIsReported() {
        Path p = write(dir.resolve("header"), Arrays.copyOf(IMAGES, 9));
        assertError(p, IdxReader.IMAGES_MAGIC, "truncated header");
        Path tiny = write(dir.resolve("tiny"), new byte[] {0, 0});
        assertError(tiny, IdxReader.IMAGES_MAGIC, "too short");
    }

    @Test
    void trailingBytesAreReported() {
        Path p = write(dir.resolve("long"), Arrays.copyOf(IMAGES, IMAGES.length + 1));
        assertError(p, IdxReader.IMAGES_MAGIC, "trailing bytes");
    }

    @Test
    void aTruncatedGzipStreamIsReported() {
        byte[] gz = gzip(IMAGES);
        Path p = write(dir.resolve("cut.gz"), Arrays.copyOf(gz, gz.length / 2));
        assertError(p, IdxReader.IMAGES_MAGIC, "truncated");
    }

    @Test
    void corruptGzipDataIsReported() {
        byte[] gz = gzip(IMAGES);
        for (int i = 10; i < gz.length - 8; i++) gz[i] = (byte) 0xff;
        Path p = write(dir.resolve("bad.gz"), gz);
        assertError(p, IdxReader.IMAGES_MAGIC, "gzip");
    }

    @Test
    void dimensionsWhoseProductOverflowsALongAreTruncationNotAnEmptyFile() {
        // found by fuzzing: 3 * 2^29 * 2^20 * 2^18 = 3 * 2^67 wrapped to 0 and matched an empty data section
        Path p = write(dir.resolve("wrap"), idx(IdxReader.IMAGES_MAGIC, new int[] {0x30000000, 1 << 20, 1 << 18}, new byte[0]));
        assertError(p, IdxReader.IMAGES_MAGIC, "truncated: dimensions [805306368, 1048576, 262144] need 221360928884514619392 data bytes, the file has 0");
    }

    @Test
    void gzipDataIsRefusedOnceItOutgrowsItsOwnHeader() {
        byte[] bomb = Arrays.copyOf(IMAGES, 64 << 20);   // a 2x3x3 header followed by 64 MiB of zeros
        Path p = write(dir.resolve("bomb.gz"), gzip(bomb));
        assertError(p, IdxReader.IMAGES_MAGIC, "trailing bytes: the IDX header declares 34 bytes in all");
        Path huge = write(dir.resolve("huge.gz"), gzip(idx(IdxReader.IMAGES_MAGIC, new int[] {60000, 28000, 28}, new byte[10])));
        assertError(huge, IdxReader.IMAGES_MAGIC, "dimensions [60000, 28000, 28] need more than 2147483639 bytes");
        Path text = write(dir.resolve("text.gz"), gzip(new byte[1 << 20]));   // not IDX: only its start is decompressed
        assertError(text, IdxReader.IMAGES_MAGIC, "magic number is 0, expected 2051");
    }

    @Test
    void aMissingFileIsReported() {
        assertError(dir.resolve("nothing"), IdxReader.IMAGES_MAGIC, "no such file");
    }

    private static void assertError(Path p, int magic, String expected) {
        DataFileException e = assertThrows(DataFileException.class, () -> IdxReader.read(p, magic));
        assertTrue(e.getMessage().startsWith(p.toString()), "names the file: " + e.getMessage());
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }
}
