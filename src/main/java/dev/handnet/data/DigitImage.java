package dev.handnet.data;

import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;

/**
 * A picture of a handwritten digit made into what an MNIST network expects, the way MNIST itself
 * was made (LeCun et al.): grey levels, ink bright on dark (inverted when the background is
 * light), cropped to the ink, fitted into 20 x 20 keeping the aspect ratio (area averaging, so
 * strokes turn to grey levels), and placed in 28 x 28 with its centre of mass at the centre.
 * Any size, PNG, JPEG, GIF or BMP, colour or grey, with or without transparency (over white).
 */
public final class DigitImage {

    /** MNIST's field, and the box the digit is fitted into. */
    public static final int SIDE = 28, BOX = 20;
    /** Larger pictures are decoded subsampled to at most this side: memory stays bounded whatever the header claims. */
    static final int DECODE_SIDE = 1024;
    /**
     * Pixels decoded per byte of file, at most: deflate expands by at most 1032 times, so a
     * PNG cannot hold more; a file claiming more is decoded subsampled (and then found short).
     */
    static final int PIXELS_PER_BYTE = 1100;
    /**
     * Bytes of raw pixels per byte of file, at most: more than deflate (1032) and GIF's LZW
     * (about 2730) can expand. A header claiming more is refused: the decoders allocate rows
     * at the full width, so a small file claiming a huge width would cost gigabytes.
     */
    static final int RAW_BYTES_PER_BYTE = 4096;
    /** Files past this size are refused unread. */
    static final long MAX_FILE = 64L << 20;
    /** Ink below this share of the darkest-to-lightest range is background when cropping. */
    private static final float CROP_THRESHOLD = 0.2f;

    private DigitImage() {
    }

    /** Reads and prepares an image file: 784 values in [0, 1], row-major, ink 1. */
    public static float[] read(Path file) {
        byte[] bytes;
        try {
            long size = Files.size(file);
            if (size > MAX_FILE) throw new DataFileException(file, size + " bytes, expected an image of at most " + MAX_FILE);
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new DataFileException(file, "no such file");
        } catch (IOException e) {
            throw new DataFileException(file, "cannot read (" + e.getClass().getSimpleName() + ")", e);
        }
        return prepare(file, decode(file, bytes));
    }

    /** The image in bytes (file names it in errors), decoded at most DECODE_SIDE on its longest side. */
    static BufferedImage decode(Path file, byte[] bytes) {
        try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(bytes))) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) throw new DataFileException(file, "not an image, expected PNG, JPEG, GIF or BMP");
            ImageReader reader = readers.next();
            String format = reader.getFormatName().toUpperCase(Locale.ROOT);
            try {
                reader.setInput(in, true, true);
                int w = reader.getWidth(0), h = reader.getHeight(0);
                if (w < 1 || h < 1) throw new DataFileException(file, format + " of " + w + " x " + h + " pixels, expected at least 1 x 1");
                int bits = reader.getImageTypes(0).next().getColorModel().getPixelSize();
                double raw = Math.ceil(w * (double) bits / 8) * h;
                if (raw > RAW_BYTES_PER_BYTE * (double) bytes.length + (1 << 16)) {
                    throw new DataFileException(file, String.format(Locale.ROOT, "%s claims %d x %d pixels of %d bits, more than"
                            + " its %d bytes can hold", format, w, h, bits, bytes.length));
                }
                ImageReadParam param = reader.getDefaultReadParam();
                int step = subsampling(w, h, bytes.length);
                if (step > 1) param.setSourceSubsampling(step, step, 0, 0);
                // A JPEG that ends early decodes with a warning and grey where data was missing: an error here.
                List<String> warnings = new ArrayList<>();
                reader.addIIOReadWarningListener((r, warning) -> warnings.add(warning));
                BufferedImage image = reader.read(0, param);
                if (!warnings.isEmpty()) throw new IOException(warnings.get(0));
                return image;
            } catch (IOException | RuntimeException e) {
                if (e instanceof DataFileException d) throw d;
                // The JDK's decoders throw more than IOException on malformed input (index and argument errors).
                throw new DataFileException(file, "truncated or corrupt " + format + " image ("
                        + (e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName()) + ")", e);
            } finally {
                reader.dispose();
            }
        } catch (IOException e) {
            throw new DataFileException(file, "cannot read (" + e.getMessage() + ")", e);
        }
    }

    /**
     * Every step-th pixel each way, so that the decoded picture is at most DECODE_SIDE on its
     * longer side and holds at most PIXELS_PER_BYTE pixels per byte of file (at least 256 x 256).
     */
    static int subsampling(int w, int h, long fileBytes) {
        double budget = Math.min((double) DECODE_SIDE * DECODE_SIDE, Math.max(1 << 16, PIXELS_PER_BYTE * (double) fileBytes));
        int bySide = (Math.max(w, h) + DECODE_SIDE - 1) / DECODE_SIDE;
        int byCount = (int) Math.ceil(Math.sqrt((double) w * h / budget));
        return Math.max(1, Math.max(bySide, byCount));
    }

    /** MNIST's preparation of a decoded picture (source names it in errors): 784 values in [0, 1]. */
    public static float[] prepare(Path source, BufferedImage image) {
        int w = image.getWidth(), h = image.getHeight();
        float[] ink = ink(image);
        // The background's ink level is the border's mean; the digit is what rises above it.
        float background = borderMean(ink, w, h), top = 0;
        for (float v : ink) top = Math.max(top, v);
        if (top - background < 0.1f) throw new DataFileException(source, "no digit found: the image is one shade throughout");
        for (int i = 0; i < ink.length; i++) ink[i] = Math.max(0, ink[i] - background) / (top - background);
        // Crop to the ink.
        int x0 = w, y0 = h, x1 = -1, y1 = -1;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                if (ink[y * w + x] > CROP_THRESHOLD) {
                    x0 = Math.min(x0, x);
                    x1 = Math.max(x1, x);
                    y0 = Math.min(y0, y);
                    y1 = Math.max(y1, y);
                }
            }
        }
        int cw = x1 - x0 + 1, ch = y1 - y0 + 1;
        // Fit the longer side to BOX, keeping the aspect ratio.
        double scale = (double) BOX / Math.max(cw, ch);
        int fw = Math.max(1, (int) Math.round(cw * scale)), fh = Math.max(1, (int) Math.round(ch * scale));
        float[] fitted = areaResample(ink, w, x0, y0, cw, ch, fw, fh);
        return centred(fitted, fw, fh);
    }

    /** Ink per pixel in [0, 1]: grey levels (transparency over white), inverted when the border is light. */
    private static float[] ink(BufferedImage image) {
        int w = image.getWidth(), h = image.getHeight();
        float[] grey = new float[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int argb = image.getRGB(x, y);
                float a = (argb >>> 24) / 255f;
                float lum = (0.299f * ((argb >> 16) & 0xff) + 0.587f * ((argb >> 8) & 0xff) + 0.114f * (argb & 0xff)) / 255f;
                grey[y * w + x] = a * lum + (1 - a);
            }
        }
        boolean lightBackground = borderMean(grey, w, h) > 0.5f;
        if (lightBackground) {
            for (int i = 0; i < grey.length; i++) grey[i] = 1 - grey[i];
        }
        return grey;
    }

    /** The mean of the outermost rows and columns. */
    private static float borderMean(float[] v, int w, int h) {
        double sum = 0;
        int n = 0;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                if (y == 0 || y == h - 1 || x == 0 || x == w - 1) {
                    sum += v[y * w + x];
                    n++;
                }
            }
        }
        return (float) (sum / n);
    }

    /**
     * The (cw, ch) window of src (width w) at (x0, y0) resampled to (fw, fh) by area averaging:
     * each output pixel is the mean of the source area it covers, fractions of pixels weighted.
     */
    static float[] areaResample(float[] src, int w, int x0, int y0, int cw, int ch, int fw, int fh) {
        float[] out = new float[fw * fh];
        double sx = (double) cw / fw, sy = (double) ch / fh;
        for (int oy = 0; oy < fh; oy++) {
            double top = oy * sy, bottom = top + sy;
            for (int ox = 0; ox < fw; ox++) {
                double left = ox * sx, right = left + sx, sum = 0;
                for (int y = (int) top; y < Math.min(ch, Math.ceil(bottom)); y++) {
                    double wy = Math.min(bottom, y + 1) - Math.max(top, y);
                    for (int x = (int) left; x < Math.min(cw, Math.ceil(right)); x++) {
                        double wx = Math.min(right, x + 1) - Math.max(left, x);
                        sum += wx * wy * src[(y0 + y) * w + x0 + x];
                    }
                }
                out[oy * fw + ox] = (float) Math.min(1, sum / (sx * sy));
            }
        }
        return out;
    }

    /** The (fw, fh) digit placed in SIDE x SIDE with its centre of mass at the field's centre. */
    private static float[] centred(float[] digit, int fw, int fh) {
        double mass = 0, mx = 0, my = 0;
        for (int y = 0; y < fh; y++) {
            for (int x = 0; x < fw; x++) {
                float v = digit[y * fw + x];
                mass += v;
                mx += v * x;
                my += v * y;
            }
        }
        // MNIST's convention (measured on its digits): the centre of mass lands on pixel (14, 14).
        int dx = (int) Math.round(SIDE / 2.0 - mx / mass), dy = (int) Math.round(SIDE / 2.0 - my / mass);
        float[] out = new float[SIDE * SIDE];
        for (int y = 0; y < fh; y++) {
            for (int x = 0; x < fw; x++) {
                int tx = x + dx, ty = y + dy;
                if (tx >= 0 && tx < SIDE && ty >= 0 && ty < SIDE) out[ty * SIDE + tx] = digit[y * fw + x];
            }
        }
        return out;
    }
}
