package dev.handnet.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.handnet.data.DataRoot;
import dev.handnet.data.Dataset;
import dev.handnet.data.DigitImages;
import dev.handnet.data.Mnist;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static dev.handnet.cli.CliEndToEndTest.handnet;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code handnet predict} on pictures of all ten digits drawn from the test set, and on files that are not pictures. */
class PredictCommandTest {

    @TempDir
    static Path dir;
    static Path model;
    /** The first test image of each digit 0-9, as row numbers of the test set. */
    static final int[] rows = new int[10];

    @BeforeAll
    static void trainAModel() {
        model = dir.resolve("m.hnet");
        CliEndToEndTest.Run train = handnet("train", "--device", "cpu", "--limit", "10000", "--epochs", "3", "--save", model.toString());
        assertEquals(0, train.code(), train.err());
        Dataset test = Mnist.loadTest(DataRoot.resolve("mnist"));
        Arrays.fill(rows, -1);
        for (int r = 0, found = 0; found < 10; r++) {
            if (rows[test.labels()[r]] < 0) {
                rows[test.labels()[r]] = r;
                found++;
            }
        }
    }

    /** Pictures of the ten digits in a style; returns their paths, digit 0 first. */
    private static List<String> pictures(DigitImages.Style style, String format) throws IOException {
        Dataset test = Mnist.loadTest(DataRoot.resolve("mnist"));
        List<String> files = new ArrayList<>();
        for (int digit = 0; digit < 10; digit++) {
            float[] pixels = Arrays.copyOfRange(test.x(), rows[digit] * 784, (rows[digit] + 1) * 784);
            Path file = dir.resolve(style.name().toLowerCase() + "-" + digit + "." + format);
            Files.write(file, DigitImages.encode(DigitImages.draw(pixels, style), format));
            files.add(file.toString());
        }
        return files;
    }

    /** The label of each line of predict's output, in order. */
    private static int[] labels(String out) {
        java.util.regex.Pattern label = java.util.regex.Pattern.compile("^.*?  (\\d)  +\\d+\\.\\d%");
        return out.lines().filter(l -> !l.startsWith("wrote")).mapToInt(l -> {
            java.util.regex.Matcher m = label.matcher(l);
            assertTrue(m.find(), l);
            return Integer.parseInt(m.group(1));
        }).toArray();
    }

    @Test
    void picturesOfTheTenDigitsAreReadAsTheTestImagesTheyWereDrawnFrom() throws IOException {
        String[] indexes = Arrays.stream(rows).mapToObj(String::valueOf).toArray(String[]::new);
        CliEndToEndTest.Run originals = handnet("predict", model.toString(), "--device", "cpu", "--test-index", String.join(",", indexes));
        assertEquals(0, originals.code(), originals.err());
        int[] expected = labels(originals.out());
        long right = java.util.stream.IntStream.range(0, 10).filter(d -> expected[d] == d).count();
        assertTrue(right >= 9, "the model reads the test images themselves: " + Arrays.toString(expected));
        for (var style : List.of(DigitImages.Style.INVERTED, DigitImages.Style.SHIFTED, DigitImages.Style.COLOUR)) {
            for (String format : List.of("png", "jpg")) {
                List<String> args = new ArrayList<>(List.of("predict", model.toString(), "--device", "cpu"));
                args.addAll(pictures(style, format));
                CliEndToEndTest.Run run = handnet(args.toArray(String[]::new));
                assertEquals(0, run.code(), run.err());
                assertEquals(Arrays.toString(expected), Arrays.toString(labels(run.out())), style + " " + format + ":\n" + run.out());
            }
        }
    }

    @Test
    void jsonGivesProbabilitiesThatSumToOneAndShowDrawsWhatTheNetworkSaw() throws IOException {
        List<String> files = pictures(DigitImages.Style.SCALED, "gif").subList(0, 3);
        Path sheet = dir.resolve("sheet.png");
        List<String> args = new ArrayList<>(List.of("predict", model.toString(), "--device", "cpu", "--json", "--show", sheet.toString(),
                "--test-index", "0"));
        args.addAll(files);
        CliEndToEndTest.Run run = handnet(args.toArray(String[]::new));
        assertEquals(0, run.code(), run.err());
        JsonNode all = new ObjectMapper().readTree(run.out());
        assertEquals(4, all.size());
        for (JsonNode p : all) {
            double sum = 0;
            for (JsonNode v : p.get("probabilities")) sum += v.asDouble();
            assertEquals(1, sum, 1e-5, p.toString());
            assertEquals(10, p.get("probabilities").size());
        }
        assertEquals(files.get(0), all.get(0).get("input").asText());
        assertEquals(7, all.get(3).get("truth").asInt(), "test image 0 is a 7");
        BufferedImage img = ImageIO.read(sheet.toFile());
        assertEquals(4 * 28 * 4, img.getWidth());
    }

    @Test
    void aFileThatIsNotAPictureIsOneLineNamingIt() throws IOException {
        Path text = Files.writeString(dir.resolve("notes.png"), "not a picture");
        CliEndToEndTest.Run run = handnet("predict", model.toString(), "--device", "cpu", text.toString());
        assertEquals(1, run.code());
        assertEquals("handnet predict: error: " + text + ": not an image, expected PNG, JPEG, GIF or BMP", run.err().strip());
        assertEquals("", run.out());
        CliEndToEndTest.Run nothing = handnet("predict", model.toString());
        assertEquals(2, nothing.code());
        assertTrue(nothing.err().contains("give at least one IMAGE or --test-index N"), nothing.err());
        CliEndToEndTest.Run past = handnet("predict", model.toString(), "--device", "cpu", "--test-index", "10000");
        assertEquals(2, past.code());
        assertTrue(past.err().contains("--test-index 10000: expected 0 to 9999"), past.err());
    }
}
