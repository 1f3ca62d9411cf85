package dev.handnet.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.handnet.Model;
import dev.handnet.Prediction;
import dev.handnet.data.Dataset;
import dev.handnet.data.DigitImage;
import dev.handnet.data.Mnist;
import dev.handnet.io.OutputFiles;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code handnet predict MODEL IMAGE...}: what a trained network reads in pictures of digits. */
@Command(name = "predict", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Read handwritten digits: PNG, JPEG, GIF or BMP pictures of any size, dark on light or light on dark,",
                "prepared as MNIST was (cropped to the ink, fitted into 20 x 20, centred by mass in 28 x 28)."})
final class PredictCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "MODEL", description = "A checkpoint written by 'handnet train'.")
    Path model;

    @Parameters(index = "1..*", paramLabel = "IMAGE", description = "Pictures of single digits.")
    List<Path> images = new ArrayList<>();

    @Option(names = "--test-index", paramLabel = "N", split = ",", converter = Values.Index.class,
            description = "Also read MNIST test image N (0 to 9999), with its true label.")
    int[] testIndex = {};

    @Option(names = "--top", paramLabel = "K", defaultValue = "3", converter = Values.Count.class,
            description = "Classes to show per image (default: ${DEFAULT-VALUE}).")
    int top;

    @Option(names = "--json", description = "One JSON array on stdout: file, label, probabilities (and truth for test images).")
    boolean json;

    @Option(names = "--show", paramLabel = "FILE.png", description = "Write what the network saw: each 28 x 28 input, enlarged, with its reading.")
    Path show;

    @Mixin
    DeviceOption device;

    @Mixin
    DataOption data;

    /** One input: where it came from, its 784 values, its true label when known (else -1). */
    private record Input(String name, float[] pixels, int truth) {
    }

    @Override
    public Integer call() throws IOException {
        if (images.isEmpty() && testIndex.length == 0) {
            throw new ParameterException(spec.commandLine(), "give at least one IMAGE or --test-index N");
        }
        if (show != null) OutputFiles.requireWritable("--show", show);
        List<Input> inputs = new ArrayList<>();
        for (Path image : images) inputs.add(new Input(image.toString(), DigitImage.read(image), -1));
        if (testIndex.length > 0) {
            Dataset test = Mnist.loadTest(data.resolve());
            for (int i : testIndex) {
                if (i < 0 || i >= test.rows()) {
                    throw new ParameterException(spec.commandLine(), "--test-index " + i + ": expected 0 to " + (test.rows() - 1));
                }
                float[] pixels = Arrays.copyOfRange(test.x(), i * test.features(), (i + 1) * test.features());
                inputs.add(new Input("test image " + i, pixels, test.labels()[i]));
            }
        }
        List<Prediction> predictions;
        try (Model m = Model.load(model, device.spec)) {
            predictions = m.predictAll(inputs.stream().map(Input::pixels).toList());
        }
        PrintWriter out = spec.commandLine().getOut();
        if (json) out.println(json(inputs, predictions));
        else print(out, inputs, predictions);
        if (show != null) {
            ImageIO.write(sheet(inputs, predictions), "png", show.toFile());
            if (!json) out.println("wrote " + show);
        }
        return 0;
    }

    private void print(PrintWriter out, List<Input> inputs, List<Prediction> predictions) {
        int width = inputs.stream().mapToInt(i -> i.name().length()).max().orElse(0);
        for (int i = 0; i < inputs.size(); i++) {
            Prediction p = predictions.get(i);
            StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%-" + width + "s  %d  %5.1f%%", inputs.get(i).name(),
                    p.label(), 100 * p.confidence()));
            int[] best = p.top(Math.min(top, p.probabilities().length));
            for (int k = 1; k < best.length; k++) {
                line.append(String.format(Locale.ROOT, "%s%d %.1f%%", k == 1 ? "   then " : ", ", best[k], 100 * p.probabilities()[best[k]]));
            }
            int truth = inputs.get(i).truth();
            if (truth >= 0) line.append(truth == p.label() ? "   (true label " + truth + ")" : "   (WRONG: true label " + truth + ")");
            out.println(line);
        }
    }

    private static String json(List<Input> inputs, List<Prediction> predictions) {
        ObjectMapper mapper = new ObjectMapper();
        ArrayNode all = mapper.createArrayNode();
        for (int i = 0; i < inputs.size(); i++) {
            ObjectNode o = all.addObject();
            o.put("input", inputs.get(i).name());
            o.put("label", predictions.get(i).label());
            if (inputs.get(i).truth() >= 0) o.put("truth", inputs.get(i).truth());
            ArrayNode p = o.putArray("probabilities");
            for (double v : predictions.get(i).probabilities()) p.add(v);
        }
        return all.toString();
    }

    /** Each input as the network saw it (ink white on black, 4 x), its reading underneath. */
    private static BufferedImage sheet(List<Input> inputs, List<Prediction> predictions) {
        int cell = DigitImage.SIDE * 4, label = 22;
        BufferedImage img = new BufferedImage(cell * inputs.size(), cell + label, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, cell, img.getWidth(), label);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 14));
        for (int i = 0; i < inputs.size(); i++) {
            float[] px = inputs.get(i).pixels();
            for (int p = 0; p < px.length; p++) {
                int v = Math.round(255 * Math.max(0, Math.min(1, px[p])));
                g.setColor(new Color(v, v, v));
                g.fillRect(i * cell + (p % DigitImage.SIDE) * 4, (p / DigitImage.SIDE) * 4, 4, 4);
            }
            Prediction pr = predictions.get(i);
            g.setColor(Color.BLACK);
            g.drawString(String.format(Locale.ROOT, "%d  %.0f%%", pr.label(), 100 * pr.confidence()), i * cell + 8, cell + 16);
        }
        g.dispose();
        return img;
    }
}
