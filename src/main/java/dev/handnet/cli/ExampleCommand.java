package dev.handnet.cli;

import dev.handnet.examples.Derivative;
import dev.handnet.examples.IrisLinearRegression;
import dev.handnet.examples.IrisTwoLayer;
import dev.handnet.examples.Logistic;
import dev.handnet.examples.MnistTutorial;
import dev.handnet.examples.Neuron;
import dev.handnet.examples.TinyNetwork;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code handnet example NAME}: the tutorials' worked examples; {@code --list} names them. */
@Command(name = "example", mixinStandardHelpOptions = true,
        description = "Run one of the tutorials' worked examples and print its numbers beside the published ones.",
        subcommands = {Derivative.class, IrisLinearRegression.class, IrisTwoLayer.class, Logistic.class, Neuron.class,
                TinyNetwork.Xor.class, TinyNetwork.Linear.class, MnistTutorial.class})
final class ExampleCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    /** Only declared: listing is what this command does whenever no example is named. */
    @Option(names = {"-l", "--list"}, description = "List the examples (also what happens when no NAME is given).")
    boolean list;

    /** With no example named (or --list), lists them: name and one line each. */
    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        out.println("examples (run one with: handnet example NAME [--device cpu|opencl] [--help]):");
        for (CommandLine sub : spec.subcommands().values()) {
            String[] description = sub.getCommandSpec().usageMessage().description();
            out.printf(Locale.ROOT, "  %-15s %s%n", sub.getCommandName(), description.length > 0 ? description[0] : "");
        }
        return 0;
    }
}
