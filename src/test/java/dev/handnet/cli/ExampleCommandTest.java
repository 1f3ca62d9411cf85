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
        CliEndToEndTest.Run digits = handnet("example", "logistic", "--device", "cpu", "--digits", "3,3");
        assertEquals(1, digits.code());
        assertTrue(digits.err().contains("--digits needs two different digits 0-9"), digits.err());
    }
}
