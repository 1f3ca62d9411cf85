package dev.handnet;

import dev.handnet.cli.HandnetCommand;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Training from Java with the command line's options and behaviour (run folder, checkpoints,
 * checks), then the trained model:
 * <pre>{@code
 * try (Model model = Training.preset("modern").epochs(3).device("cpu").runDir(Path.of("runs/demo")).train()) {
 *     System.out.println(model.predict(pixels).label());
 * }
 * }</pre>
 * Each setter is the {@code handnet train} option of the same name; {@link #option} passes any other.
 */
public final class Training {

    private final List<String> args = new ArrayList<>(List.of("train", "--quiet"));
    private Path runDir;
    private String device = "cpu";

    private Training() {
    }

    /** tutorial or modern, as {@code --preset}. */
    public static Training preset(String name) {
        return new Training().option("--preset", name);
    }

    public Training epochs(int n) {
        return option("--epochs", Integer.toString(n));
    }

    /** The first rows of the training and test sets only, as {@code --limit}. */
    public Training limit(int rows) {
        return option("--limit", Integer.toString(rows));
    }

    public Training learningRate(double rate) {
        return option("--lr", Double.toString(rate));
    }

    /** cpu (the default here), auto, opencl or opencl:P:D: where it trains, and where the returned model runs. */
    public Training device(String spec) {
        device = spec;
        return this;
    }

    /** The folder it writes (default: a new one under $HANDNET_RUNS, else runs/). */
    public Training runDir(Path dir) {
        runDir = dir;
        return this;
    }

    /** Any other option of {@code handnet train}, e.g. option("--hidden", "256,128"). */
    public Training option(String name, String value) {
        args.add(name);
        args.add(value);
        return this;
    }

    /**
     * Trains as {@code handnet train} would and returns the model of its last checkpoint on the
     * same device; IllegalArgumentException with handnet's one-line message when it fails.
     */
    public Model train() {
        Path dir = runDir != null ? runDir : dev.handnet.run.RunFolder.defaultRoot().resolve("library-" + System.nanoTime());
        List<String> all = new ArrayList<>(args);
        all.addAll(List.of("--device", device, "--run-dir", dir.toString(), "--save", dir.resolve("model.hnet").toString()));
        StringWriter out = new StringWriter(), err = new StringWriter();
        int code = HandnetCommand.run(new PrintWriter(out, true), new PrintWriter(err, true), all.toArray(String[]::new));
        if (code != 0 || !Files.exists(dir.resolve("last.hnet"))) {
            throw new IllegalArgumentException(err.toString().strip().isEmpty() ? "handnet train exited " + code : err.toString().strip());
        }
        return Model.load(dir.resolve("last.hnet"), device);
    }
}
