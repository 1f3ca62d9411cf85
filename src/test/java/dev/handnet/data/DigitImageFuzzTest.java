package dev.handnet.data;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.handnet.AllocationBudget;

import java.awt.image.BufferedImage;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Fuzz target for image preparation (what {@code handnet predict} does to a file): any bytes as
 * a picture. 784 values in [0, 1] or a DataFileException naming the file; anything else (an
 * exception of the JDK's decoders escaping, a hang, memory past the budget) is a finding.
 * Inputs: DigitImageFuzzTestInputs/image/ in src/test/resources.
 */
class DigitImageFuzzTest {

    /**
     * The decoders' rows hold at most DigitImage.RAW_BYTES_PER_BYTE bytes per input byte (a few
     * rows at a time), and the decoded picture at most DigitImage.PIXELS_PER_BYTE pixels per input
     * byte, at most 8 bytes each in the raster (16-bit RGBA) and 4 in the grey levels.
     */
    static final long BYTES_PER_INPUT_BYTE = 4L * DigitImage.RAW_BYTES_PER_BYTE + 12L * DigitImage.PIXELS_PER_BYTE;

    private static final Path FILE = Path.of("fuzz-image");

    @FuzzTest(maxDuration = "3m")
    void image(byte[] input) {
        float[] pixels;
        try {
            pixels = AllocationBudget.within(input.length, BYTES_PER_INPUT_BYTE, () -> {
                BufferedImage img = DigitImage.decode(FILE, input);
                return DigitImage.prepare(FILE, img);
            });
        } catch (DataFileException e) {
            assertTrue(e.getMessage().startsWith(FILE + ": "), "the message names the file: " + e.getMessage());
            return;
        }
        assertEquals(DigitImage.SIDE * DigitImage.SIDE, pixels.length);
        for (float v : pixels) assertTrue(v >= 0 && v <= 1, "pixels in [0, 1]: " + v);
    }
}
