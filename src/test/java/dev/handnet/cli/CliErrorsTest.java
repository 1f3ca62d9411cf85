package dev.handnet.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import static dev.handnet.cli.CliEndToEndTest.handnet;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * The exit-code and message convention on hostile command lines: 2 and one line naming the option
 * and what was expected for a usage error, 1 and one line naming the file for a run-time or data
 * error, never a stack trace, and nothing run. Each case is one distinct bad input.
 */
class CliErrorsTest {

    @TempDir
    static Path dir;

    static Stream<Arguments> badCommandLines() {
        return Stream.of(
                // train: counts that must be >= 1
                usage("--epochs 0", "'--epochs': expected a whole number >= 1, got '0'", "train", "--epochs", "0"),
                usage("--epochs -1", "'--epochs': expected a whole number >= 1, got '-1'", "train", "--epochs", "-1"),
                usage("--epochs 2.5", "'--epochs': expected a whole number >= 1, got '2.5'", "train", "--epochs", "2.5"),
                usage("--epochs past int", "(larger than 2147483647)", "train", "--epochs", "99999999999"),
                usage("--epochs empty", "'--epochs': expected a whole number >= 1, got ''", "train", "--epochs", ""),
                usage("--batch 0", "'--batch': expected a whole number >= 1, got '0'", "train", "--batch", "0"),
                usage("--batch -32", "'--batch': expected a whole number >= 1, got '-32'", "train", "--batch", "-32"),
                usage("--limit 0", "'--limit': expected a whole number >= 1, got '0'", "train", "--limit", "0"),
                usage("--batches-per-epoch 0", "'--batches-per-epoch': expected a whole number >= 1",
                        "train", "--batches-per-epoch", "0"),
                // train: rates and values that must be finite
                usage("--lr 0", "'--lr': expected a finite number > 0, got '0'", "train", "--lr", "0"),
                usage("--lr -0.1", "'--lr': expected a finite number > 0, got '-0.1'", "train", "--lr", "-0.1"),
                usage("--lr NaN", "'--lr': expected a finite number > 0, got 'NaN'", "train", "--lr", "NaN"),
                usage("--lr Infinity", "'--lr': expected a finite number > 0, got 'Infinity'", "train", "--lr", "Infinity"),
                usage("--lr overflowing", "'--lr': expected a finite number > 0, got '1e400'", "train", "--lr", "1e400"),
                usage("--lr not a number", "'--lr': expected a finite number > 0, got 'fast'", "train", "--lr", "fast"),
                usage("--bias-init NaN", "'--bias-init': expected a finite number, got 'NaN'", "train", "--bias-init", "NaN"),
                usage("--bias-init -Infinity", "'--bias-init': expected a finite number", "train", "--bias-init", "-Infinity"),
                // train: malformed lists
                usage("--hidden 100,,10", "'--hidden' (N): expected a whole number >= 1, got ''", "train", "--hidden", "100,,10"),
                usage("--hidden 0", "'--hidden' (N): expected a whole number >= 1, got '0'", "train", "--hidden", "0"),
                usage("--hidden -5", "'--hidden' (N): expected a whole number >= 1, got '-5'", "train", "--hidden", "-5"),
                usage("--hidden a,b", "'--hidden' (N): expected a whole number >= 1, got 'a'", "train", "--hidden", "a,b"),
                usage("--hidden past int", "(larger than 2147483647)", "train", "--hidden", "99999999999"),
                // train: names that are not among the choices
                usage("--preset unknown", "--preset", "train", "--preset", "resnet"),
                usage("--head unknown", "--head", "train", "--head", "softmax"),
                usage("--activation unknown", "--activation", "train", "--activation", "relu"),
                usage("--batching unknown", "--batching", "train", "--batching", "sorted"),
                usage("--rng unknown", "--rng", "train", "--rng", "mersenne"),
                usage("--init unknown", "--init", "train", "--init", "he"),
                usage("--seed not a number", "--seed", "train", "--seed", "1.5"),
                usage("unknown option", "Unknown option: '--bogus'", "train", "--bogus"),
                usage("option without its value", "Missing required parameter for option '--lr'", "train", "--lr"),
                usage("unknown command", "Unmatched argument at index 0: 'fit'", "fit"),
                // other commands
                usage("evaluate without MODEL", "Missing required parameter: 'MODEL'", "evaluate"),
                usage("evaluate with two models", "Unmatched argument", "evaluate", "a.hnet", "b.hnet"),
                usage("tune --budget 0", "'--budget': expected a finite number > 0, got '0'", "tune", "--budget", "0"),
                usage("tune --reps 0", "'--reps': expected a whole number >= 1, got '0'", "tune", "--reps", "0"),
                usage("bench --reps -3", "'--reps': expected a whole number >= 1, got '-3'", "bench", "--reps", "-3"),
                usage("bench --clock-ghz NaN", "'--clock-ghz': expected a finite number > 0", "bench", "--clock-ghz", "NaN"),
                usage("bench --fma-units 0", "'--fma-units': expected a finite number > 0", "bench", "--fma-units", "0"),
                usage("gradcheck --sizes 7,,3", "'--sizes' (N): expected a whole number >= 1, got ''", "gradcheck", "--sizes", "7,,3"),
                usage("gradcheck --batch 0", "'--batch': expected a whole number >= 1, got '0'", "gradcheck", "--batch", "0"),
                usage("parity --steps 0", "'--steps': expected a whole number >= 1, got '0'", "parity", "--steps", "0"),
                usage("example unknown", "resnet", "example", "resnet"),
                usage("example --digits equal", "--digits needs two different digits 0-9", "example", "logistic", "--digits", "3,3"),
                usage("example --digits out of range", "--digits needs two different digits 0-9", "example", "logistic", "--digits", "3,11"),
                usage("example --epochs 0", "'--epochs': expected a whole number >= 1, got '0'", "example", "xor", "--epochs", "0"),
                // run-time and data errors: exit 1, the file named
                failure("--save names a folder", "--save {dir}: is a folder, expected a file name", "train", "--save", "{dir}"),
                failure("--save under a file", "--save {dir}/file.txt/m.hnet: cannot create its folder {dir}/file.txt",
                        "train", "--save", "{dir}/file.txt/m.hnet"),
                failure("--metrics names a folder", "--metrics {dir}: is a folder", "train", "--metrics", "{dir}"),
                failure("--data missing", "{dir}/none: no such folder", "train", "--data", "{dir}/none"),
                failure("--data names a file", "{dir}/file.txt: is a file, expected a folder", "train", "--data", "{dir}/file.txt"),
                failure("evaluate a missing model", "{dir}/none.hnet: no such file", "evaluate", "{dir}/none.hnet", "--device", "cpu"),
                failure("evaluate a text file", "{dir}/file.txt: field 'header length'", "evaluate", "{dir}/file.txt", "--device", "cpu"),
                failure("evaluate a folder", "{dir}", "evaluate", "{dir}", "--device", "cpu"),
                failure("unknown device", "device 'tpu' is not one of auto, cpu, opencl", "gradcheck", "--device", "tpu"));
    }

    private static Arguments usage(String name, String expected, String... args) {
        return arguments(name, 2, expected, args);
    }

    private static Arguments failure(String name, String expected, String... args) {
        return arguments(name, 1, expected, args);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badCommandLines")
    void aBadCommandLineIsOneLineAndAnExitCode(String name, int code, String expected, String[] args) throws IOException {
        Files.writeString(dir.resolve("file.txt"), "not what handnet wants\n");
        String[] resolved = Arrays.stream(args).map(a -> a.replace("{dir}", dir.toString())).toArray(String[]::new);
        CliEndToEndTest.Run run = handnet(resolved);
        String err = run.err().strip();
        assertEquals(code, run.code(), name + ": " + err);
        assertEquals(1, err.lines().count(), "one line: " + err);
        String command = resolved[0].equals("fit") ? "handnet"
                : resolved[0].equals("example") && !resolved[1].equals("resnet") ? "handnet example " + resolved[1]
                : "handnet " + resolved[0];
        assertTrue(err.startsWith(command + ": error: "), err);
        assertTrue(err.contains(expected.replace("{dir}", dir.toString())), err);
        assertFalse(err.contains("Exception") || err.contains("\tat "), "no stack trace: " + err);
        assertFalse(run.out().contains("epoch "), "nothing ran: " + run.out());
        if (code == 2) assertTrue(err.endsWith("--help')"), "says where help is: " + err);
    }

    /** Options exempt from a range: any long is a seed; --digits is checked as a pair (0-9, different). */
    private static final Set<String> UNRANGED = Set.of("--seed", "--digits");

    /** A numeric option added without a converter from {@link Values} would accept 0, -1 or NaN silently. */
    @Test
    void everyNumericOptionHasARange() {
        List<String> missing = new ArrayList<>();
        List<CommandLine> commands = new ArrayList<>(List.of(new CommandLine(new HandnetCommand())));
        for (int i = 0; i < commands.size(); i++) {
            CommandLine cli = commands.get(i);
            commands.addAll(cli.getSubcommands().values());
            for (OptionSpec o : cli.getCommandSpec().options()) {
                Class<?> type = o.type().isArray() ? o.type().getComponentType() : o.type();
                boolean numeric = Number.class.isAssignableFrom(type) || (type.isPrimitive() && type != boolean.class);
                boolean ranged = Arrays.stream(o.converters()).anyMatch(c -> c.getClass().getEnclosingClass() == Values.class);
                if (numeric && !ranged && !UNRANGED.contains(o.longestName())) {
                    missing.add(cli.getCommandSpec().qualifiedName(" ") + " " + o.longestName());
                }
            }
        }
        assertEquals(List.of(), missing, "numeric options without a Values converter");
        assertTrue(commands.size() > 10, "walked every subcommand: " + commands.size());
    }

    /** --nan-check names the first tensor that went bad, in one line, and saves nothing. */
    @Test
    void nanCheckNamesTheFirstTensorThatWentBad() {
        Path model = dir.resolve("nan.hnet");
        CliEndToEndTest.Run run = handnet("train", "--device", "cpu", "--limit", "500", "--epochs", "2", "--lr", "3e38",
                "--nan-check", "--save", model.toString());
        String err = run.err().strip();
        assertEquals(1, run.code(), err);
        assertEquals(1, err.lines().count(), err);
        assertTrue(err.matches("handnet train: error: \\S.* \\(\\d+ x \\d+\\) became (NaN|-?Infinity) at row \\d+, column \\d+"
                + " in epoch 1, batch \\d+ of 16 \\(learning rate 3\\.0E38\\); try a lower --lr"), err);
        assertFalse(Files.exists(model), "nothing saved");
    }

    /** The Java heap running out is one line with the way out, not a stack trace. */
    @Test
    void runningOutOfMemoryIsOneLineWithAHint() {
        // 40000 x 40000 doubles (12.8 GB) for W1: more than the tests' heap, refused at once, nothing touched.
        CliEndToEndTest.Run run = handnet("train", "--device", "cpu", "--limit", "100", "--epochs", "1",
                "--hidden", "40000,40000", "--save", dir.resolve("oom.hnet").toString());
        String err = run.err().strip();
        assertEquals(1, run.code(), err);
        assertEquals(1, err.lines().count(), err);
        assertTrue(err.startsWith("handnet train: error: out of memory") && err.contains("JAVA_OPTS=-Xmx")
                && err.contains("--batch"), err);
        assertFalse(Files.exists(dir.resolve("oom.hnet")), "nothing saved");
    }
}
