package dev.handnet.cli;

import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.handnet.cli.CliEndToEndTest.handnet;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code handnet example}: the list, an example through the command line, and bad input. */
class ExampleCommandTest {

    static final List<String> EXAMPLES = List.of("derivative", "iris-linreg", "iris-twolayer", "logistic", "neuron",
            "xor", "linear", "mnist-tutorial");

    @Test
    void listNamesEveryExampleWithItsDescription() {
        CliEndToEndTest.Run list = handnet("example", "--list");
        assertEquals(0, list.code(), list.err());
        for (String name : EXAMPLES) assertTrue(list.out().contains("\n  " + name + " "), name + " in\n" + list.out());
        assertEquals(list.out(), handnet("example").out(), "no name lists them too");
    }

    @Test
    void examplesRunFromTheCommandLine() {
        CliEndToEndTest.Run derivative = handnet("example", "derivative");
        assertEquals(0, derivative.code(), derivative.err());
        assertTrue(derivative.out().contains("dg/dx = 17.000002") && derivative.out().contains("dg/dy = 36.000005"), derivative.out());
        CliEndToEndTest.Run linreg = handnet("example", "iris-linreg", "--device", "cpu");
        assertEquals(0, linreg.code(), linreg.err());
        assertTrue(linreg.out().contains("iteration   1  training loss 42.1148  validation loss 39.4721"), linreg.out());
        assertTrue(linreg.out().contains("iteration  91  training loss 0.0551  validation loss 0.0225"), linreg.out());
        CliEndToEndTest.Run twolayer = handnet("example", "iris-twolayer", "--device", "cpu", "--as-published", "--iterations", "300");
        assertEquals(0, twolayer.code(), twolayer.err());
        assertTrue(twolayer.out().contains("      300     0.1796       0.1811"), twolayer.out());
        assertTrue(twolayer.out().contains("not the gradient") && !twolayer.out().contains("correct, a1(1-a1):"), twolayer.out());
    }

    @Test
    void anUnknownExampleOrBadOptionIsAUsageError() {
        CliEndToEndTest.Run unknown = handnet("example", "resnet");
        assertEquals(2, unknown.code());
        assertTrue(unknown.err().contains("resnet"), unknown.err());
        assertUsageError("--digits needs two different digits 0-9", "logistic", "--device", "cpu", "--digits", "3,3");
        assertUsageError("option '--limit': expected a whole number >= 1, got '0'", "logistic", "--device", "cpu", "--limit", "0");
        assertUsageError("option '--iterations': expected a whole number >= 1, got '0'", "logistic", "--device", "cpu", "--iterations", "0");
        assertUsageError("option '--iterations': expected a whole number >= 1, got '-5'", "iris-twolayer", "--device", "cpu", "--iterations", "-5");
        assertUsageError("option '--epochs': expected a whole number >= 1, got '0'", "neuron", "--device", "cpu", "--epochs", "0");
        assertUsageError("option '--epochs': expected a whole number >= 1, got '-1'", "xor", "--device", "cpu", "--epochs", "-1");
        assertUsageError("option '--epochs': expected a whole number >= 1, got '0'", "mnist-tutorial", "--device", "cpu", "--epochs", "0");
    }

    private static void assertUsageError(String message, String... example) {
        String[] args = new String[example.length + 1];
        args[0] = "example";
        System.arraycopy(example, 0, args, 1, example.length);
        CliEndToEndTest.Run run = handnet(args);
        assertEquals(2, run.code(), String.join(" ", args) + ": " + run.err());
        assertTrue(run.err().contains(message), run.err());
    }

    /** A short run prints each epoch once and leaves out the 15-epoch weights it never reached. */
    @Test
    void theNeuronPrintsOnlyTheEpochsItRan() {
        CliEndToEndTest.Run ten = handnet("example", "neuron", "--device", "cpu", "--epochs", "10");
        assertEquals(0, ten.code(), ten.err());
        assertTrue(ten.out().contains("epoch   10  loss") && !ten.out().contains("after 15 epochs"), ten.out());
        CliEndToEndTest.Run fifteen = handnet("example", "neuron", "--device", "cpu", "--epochs", "15");
        assertEquals(1, fifteen.out().split("epoch   15  loss", -1).length - 1, fifteen.out());
        assertTrue(fifteen.out().contains("after 15 epochs:"), fifteen.out());
    }

    /** In float32 the corrected Iris net is still recognised as the gradient, against float32's tolerance. */
    @Test
    void theGradientVerdictHoldsInFloat32() {
        CliEndToEndTest.Run run = handnet("example", "iris-twolayer", "--device", "cpu", "--precision", "float32", "--iterations", "1");
        assertEquals(0, run.code(), run.err());
        assertTrue(run.out().contains("correct, a1(1-a1): test accuracy") && run.out().contains("(the true gradient)"), run.out());
        assertTrue(run.out().contains("(not the gradient)"), run.out());
    }
}
