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
    void aMissingFileIsReported() {
        assertError(dir.resolve("nothing"), IdxReader.IMAGES_MAGIC, "no such file");
    }

    private static void assertError(Path p, int magic, String expected) {
        DataFileException e = assertThrows(DataFileException.class, () -> IdxReader.read(p, magic));
        assertTrue(e.getMessage().startsWith(p.toString()), "names the file: " + e.getMessage());
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }
}
