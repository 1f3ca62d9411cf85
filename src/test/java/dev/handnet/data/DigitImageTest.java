package dev.handnet.data;

import dev.handnet.AllocationBudget;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/** Preparing pictures as MNIST was made, and refusing files that are not pictures of a digit. */
class DigitImageTest {

    @TempDir
    static Path dir;

    private static final Dataset TEST = Mnist.loadTest(DataRoot.resolve("mnist"));

    private static float[] digit(int row) {
        return Arrays.copyOfRange(TEST.x(), row * 784, (row + 1) * 784);
    }

    /** Cosine similarity of two 784-pixel inputs. */
    static double similarity(float[] a, float[] b) {
        double ab = 0, aa = 0, bb = 0;
        for (int i = 0; i < a.length; i++) {
            ab += a[i] * b[i];
            aa += a[i] * a[i];
            bb += b[i] * b[i];
        }
        return ab / Math.sqrt(aa * bb);
    }

    /** An MNIST digit redrawn larger, shifted, inverted, in colour or on transparency prepares back to (nearly) itself. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("styles")
    void aRedrawnMnistDigitPreparesBackToItself(DigitImages.Style style, String format) {
        for (int row = 0; row < 10; row++) {
            BufferedImage img = DigitImages.draw(digit(row), style);
            Path file = dir.resolve(style + "-" + row + "." + format);
            writeBytes(file, DigitImages.encode(img, format));
            float[] prepared = DigitImage.read(file);
            assertEquals(784, prepared.length);
            for (float v : prepared) assertTrue(v >= 0 && v <= 1, "values in [0, 1]: " + v);
            double s = similarity(prepared, digit(row));
            assertTrue(s > 0.8, style + " " + format + " row " + row + ": similarity " + s);
        }
    }

    static Stream<Arguments> styles() {
        return Stream.of(arguments(DigitImages.Style.PLAIN, "png"), arguments(DigitImages.Style.SCALED, "png"),
                arguments(DigitImages.Style.SHIFTED, "png"), arguments(DigitImages.Style.INVERTED, "png"),
                arguments(DigitImages.Style.COLOUR, "png"), arguments(DigitImages.Style.TRANSPARENT, "png"),
                arguments(DigitImages.Style.INVERTED, "jpg"), arguments(DigitImages.Style.SCALED, "gif"),
                arguments(DigitImages.Style.COLOUR, "bmp"));
    }

    @Test
    void theDigitIsFittedIntoTwentyByTwentyAndCentredByMass() {
        // a 100 x 40 bar, black on white, in a 400 x 300 picture: fitted to 20 x 8, its centre of mass
        // (9.5, 3.5) moved to pixel (14, 14), rounding half up: columns 5 to 24, rows 11 to 18
        BufferedImage img = new BufferedImage(400, 300, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 300; y++) {
            for (int x = 0; x < 400; x++) img.setRGB(x, y, x >= 50 && x < 150 && y >= 200 && y < 240 ? 0 : 0xffffff);
        }
        float[] p = DigitImage.prepare(Path.of("bar.png"), img);
        int inked = 0, minX = 28, maxX = -1, minY = 28, maxY = -1;
        for (int i = 0; i < p.length; i++) {
            if (p[i] > 0.5f) {
                inked++;
                minX = Math.min(minX, i % 28);
                maxX = Math.max(maxX, i % 28);
                minY = Math.min(minY, i / 28);
                maxY = Math.max(maxY, i / 28);
            }
        }
        assertEquals(20 * 8, inked);
        assertEquals(java.util.List.of(5, 24, 11, 18), java.util.List.of(minX, maxX, minY, maxY));
    }

    static Stream<Arguments> hostileFiles() throws IOException {
        byte[] valid = DigitImages.encode(DigitImages.draw(digit(0), DigitImages.Style.PLAIN), "png");
        byte[] jpeg = DigitImages.encode(DigitImages.draw(digit(0), DigitImages.Style.INVERTED), "jpg");
        byte[] white = DigitImages.encode(new BufferedImage(40, 40, BufferedImage.TYPE_BYTE_GRAY) {{
            java.awt.Graphics g = getGraphics();
            g.setColor(java.awt.Color.WHITE);
            g.fillRect(0, 0, 40, 40);
        }}, "png");
        byte[] black = DigitImages.encode(new BufferedImage(40, 40, BufferedImage.TYPE_BYTE_GRAY), "png");
        byte[] bmp = DigitImages.encode(DigitImages.draw(digit(0), DigitImages.Style.PLAIN), "bmp");
        byte[] hugeBmp = bmp.clone();
        java.nio.ByteBuffer.wrap(hugeBmp, 18, 8).order(java.nio.ByteOrder.LITTLE_ENDIAN).putInt(20000).putInt(20000);
        return Stream.of(
                arguments("text", "hello, not a picture\n".getBytes(StandardCharsets.UTF_8), "not an image, expected PNG, JPEG, GIF or BMP"),
                arguments("empty file", new byte[0], "not an image"),
                arguments("PNG signature only", Arrays.copyOf(valid, 8), "truncated or corrupt PNG image"),
                arguments("PNG cut in half", Arrays.copyOf(valid, valid.length / 2), "truncated or corrupt PNG image"),
                arguments("PNG ending inside its data", Arrays.copyOf(valid, valid.length - 12 - 4 - 40), "truncated or corrupt PNG image"),
                arguments("PNG of 0 x 0", DigitImages.png(0, 0, new byte[0]), "PNG image"),
                arguments("PNG of 0 x 10", DigitImages.png(0, 10, new byte[10]), "PNG image"),
                arguments("PNG claiming 20000 x 20000", DigitImages.png(20000, 20000, new byte[100]),
                        "PNG claims 20000 x 20000 pixels of 8 bits, more than its 69 bytes can hold"),
                arguments("PNG claiming a row of 12976156 pixels", DigitImages.png(12976156, 1, new byte[100]), "more than its"),
                arguments("PNG claiming 2^31-1 x 2^31-1", DigitImages.png(Integer.MAX_VALUE, Integer.MAX_VALUE, new byte[100]), "PNG claims 2147483647 x 2147483647"),
                arguments("BMP claiming 20000 x 20000", hugeBmp, "BMP"),
                arguments("JPEG cut in half", Arrays.copyOf(jpeg, jpeg.length / 2), "JPEG"),
                arguments("a white page", white, "no digit found: the image is one shade throughout"),
                arguments("a black page", black, "no digit found: the image is one shade throughout"),
                arguments("a flipped bit in the PNG's height", flip(valid, 20), "PNG claims 28 x 268435484 pixels"));
    }

    private static byte[] flip(byte[] b, int at) {
        byte[] c = b.clone();
        c[at] ^= 0x10;
        return c;
    }

    /** Each hostile file: a one-line DataFileException naming it, and no more memory than its size justifies. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("hostileFiles")
    void aHostileFileIsRefusedByName(String name, byte[] bytes, String expected) {
        Path file = dir.resolve(name.replace(' ', '-') + ".img");
        writeBytes(file, bytes);
        DataFileException e = assertThrows(DataFileException.class,
                () -> AllocationBudget.within(bytes.length, DigitImageFuzzTest.BYTES_PER_INPUT_BYTE, () -> DigitImage.read(file)), name);
        assertTrue(e.getMessage().startsWith(file + ": ") && e.getMessage().contains(expected), e.getMessage());
        assertEquals(1, e.getMessage().lines().count(), e.getMessage());
    }

    @Test
    void aMissingFileAFolderAndAHugeFileAreRefusedByName() throws IOException {
        Path missing = dir.resolve("none.png");
        assertTrue(assertThrows(DataFileException.class, () -> DigitImage.read(missing)).getMessage()
                .equals(missing + ": no such file"));
        Path folder = Files.createDirectories(dir.resolve("folder.png"));
        assertTrue(assertThrows(DataFileException.class, () -> DigitImage.read(folder)).getMessage().startsWith(folder + ": "));
        Path huge = dir.resolve("huge.png");
        try (RandomAccessFile f = new RandomAccessFile(huge.toFile(), "rw")) {
            f.setLength(DigitImage.MAX_FILE + 1);  // sparse: nothing written
        }
        String message = assertThrows(DataFileException.class, () -> DigitImage.read(huge)).getMessage();
        assertTrue(message.contains("expected an image of at most " + DigitImage.MAX_FILE), message);
    }

    @Test
    void aLargePictureIsDecodedSubsampledToBoundedMemory() {
        assertEquals(1, DigitImage.subsampling(1024, 1024, 1 << 20));
        assertEquals(2, DigitImage.subsampling(2048, 1000, 1 << 20));
        assertEquals(20, DigitImage.subsampling(20000, 20000, 1 << 30));
        // 100 bytes cannot hold 20000 x 20000 pixels: decoded at most 1100 x 100 of them
        int step = DigitImage.subsampling(20000, 20000, 100);
        long decoded = (long) Math.ceil(20000.0 / step) * (long) Math.ceil(20000.0 / step);
        assertTrue(decoded <= DigitImage.PIXELS_PER_BYTE * 100L, "step " + step + ": " + decoded + " pixels");
    }

    private static void writeBytes(Path file, byte[] bytes) {
        try {
            Files.write(file, bytes);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
