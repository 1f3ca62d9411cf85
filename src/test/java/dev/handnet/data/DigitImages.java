package dev.handnet.data;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/** Pictures for the image tests: MNIST digits redrawn as people's pictures, and PNG files built chunk by chunk. */
public final class DigitImages {

    private DigitImages() {
    }

    /** How a 28 x 28 MNIST digit is redrawn. */
    public enum Style {
        /** As MNIST stores it: white ink on black, 28 x 28. */
        PLAIN,
        /** 5 times larger (140 x 140), smoothly. */
        SCALED,
        /** 3 times larger, off centre in a 300 x 200 canvas. */
        SHIFTED,
        /** Black ink on white paper, 4 times larger. */
        INVERTED,
        /** Blue ink on yellow paper, 2 times larger. */
        COLOUR,
        /** Black ink on a transparent background (drawing apps), 3 times larger. */
        TRANSPARENT
    }

    /** The digit at pixels (784 values in [0, 1], ink 1) drawn in a style. */
    public static BufferedImage draw(float[] pixels, Style style) {
        int scale = switch (style) {
            case PLAIN -> 1;
            case SCALED -> 5;
            case SHIFTED -> 3;
            case INVERTED -> 4;
            case COLOUR -> 2;
            case TRANSPARENT -> 3;
        };
        int w = style == Style.SHIFTED ? 300 : 28 * scale, h = style == Style.SHIFTED ? 200 : 28 * scale;
        int ox = style == Style.SHIFTED ? 190 : 0, oy = style == Style.SHIFTED ? 20 : 0;
        BufferedImage img = new BufferedImage(w, h, style == Style.TRANSPARENT ? BufferedImage.TYPE_INT_ARGB : BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                // bilinear sample of the digit at this pixel's centre
                double sx = (x - ox + 0.5) / scale - 0.5, sy = (y - oy + 0.5) / scale - 0.5;
                float ink = (float) sample(pixels, sx, sy);
                img.setRGB(x, y, colour(ink, style));
            }
        }
        return img;
    }

    private static double sample(float[] p, double sx, double sy) {
        int x0 = (int) Math.floor(sx), y0 = (int) Math.floor(sy);
        double fx = sx - x0, fy = sy - y0;
        return (1 - fx) * (1 - fy) * at(p, x0, y0) + fx * (1 - fy) * at(p, x0 + 1, y0)
                + (1 - fx) * fy * at(p, x0, y0 + 1) + fx * fy * at(p, x0 + 1, y0 + 1);
    }

    private static double at(float[] p, int x, int y) {
        return x < 0 || y < 0 || x >= 28 || y >= 28 ? 0 : p[y * 28 + x];
    }

    private static int colour(float ink, Style style) {
        int v = Math.round(255 * ink);
        return switch (style) {
            case PLAIN, SCALED, SHIFTED -> v << 16 | v << 8 | v;
            case INVERTED -> (255 - v) << 16 | (255 - v) << 8 | (255 - v);
            case COLOUR -> mix(0xf5e663, 0x1f3fbf, ink);
            case TRANSPARENT -> v << 24;  // black, opaque where the ink is
        };
    }

    /** paper blended towards ink by t, per channel. */
    private static int mix(int paper, int ink, float t) {
        int rgb = 0;
        for (int shift = 16; shift >= 0; shift -= 8) {
            int a = (paper >> shift) & 0xff, b = (ink >> shift) & 0xff;
            rgb |= Math.round(a + t * (b - a)) << shift;
        }
        return rgb;
    }

    /** The picture encoded by ImageIO in a format: png, jpg, gif or bmp. */
    public static byte[] encode(BufferedImage img, String format) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            BufferedImage rgb = img;
            if (!format.equals("png") && img.getColorModel().hasAlpha()) {
                rgb = new BufferedImage(img.getWidth(), img.getHeight(), BufferedImage.TYPE_INT_RGB);
                rgb.getGraphics().drawImage(img, 0, 0, java.awt.Color.WHITE, null);
            }
            if (!ImageIO.write(rgb, format, out)) throw new IllegalStateException("no ImageIO writer for " + format);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A PNG built by hand: signature, IHDR claiming w x h 8-bit grey, IDAT of the given raw bytes (deflated), IEND. */
    public static byte[] png(int w, int h, byte[] raw) {
        ByteArrayOutputStream header = new ByteArrayOutputStream();
        try (DataOutputStream d = new DataOutputStream(header)) {
            d.writeInt(w);
            d.writeInt(h);
            d.write(new byte[] {8, 0, 0, 0, 0});  // bit depth 8, grey, deflate, adaptive filters, no interlace
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Deflater deflater = new Deflater();
        deflater.setInput(raw);
        deflater.finish();
        byte[] buf = new byte[raw.length + 64];
        byte[] idat = java.util.Arrays.copyOf(buf, deflater.deflate(buf));
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        png.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
        chunk(png, "IHDR", header.toByteArray());
        chunk(png, "IDAT", idat);
        chunk(png, "IEND", new byte[0]);
        return png.toByteArray();
    }

    private static void chunk(ByteArrayOutputStream out, String type, byte[] data) {
        byte[] t = type.getBytes(StandardCharsets.US_ASCII);
        CRC32 crc = new CRC32();
        crc.update(t);
        crc.update(data);
        try (DataOutputStream d = new DataOutputStream(out)) {
            d.writeInt(data.length);
            d.write(t);
            d.write(data);
            d.writeInt((int) crc.getValue());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
