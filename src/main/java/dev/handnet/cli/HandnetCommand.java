package dev.handnet.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;

/** The {@code handnet} command: subcommands, one-line errors, --verbose for stack traces. */
@Command(name = "handnet", mixinStandardHelpOptions = true, version = "handnet 0.1.0",
        description = "Neural networks trained with hand-derived backpropagation, on the CPU (OpenCL next).",
        subcommands = {TrainCommand.class, EvaluateCommand.class, GradcheckCommand.class,
                CommandLine.HelpCommand.class})
public final class HandnetCommand {

    @Option(names = {"-v", "--verbose"}, scope = CommandLine.ScopeType.INHERIT,
            description = "Debug logging, and a stack trace with every error.")
    void verbose(boolean on) {
        verbose = on;
        if (on) System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "debug");
    }

    private static boolean verbose;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command line and returns its exit code: 0 ok, 1 failure, 2 usage error. */
    public static int run(String... args) {
        return run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args);
    }

    /** As {@link #run(String...)}, printing results to out and errors to err. */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        verbose = false;
        CommandLine cli = new CommandLine(new HandnetCommand())
                .setCaseInsensitiveEnumValuesAllowed(true)
                .setOut(out)
                .setErr(err)
                .setExecutionExceptionHandler(HandnetCommand::reportError);
        return cli.execute(args);
    }

    /** Errors are one line naming what was wrong; the stack trace only with --verbose. */
    private static int reportError(Exception e, CommandLine cli, CommandLine.ParseResult parsed) {
        PrintWriter err = cli.getErr();
        if (verbose) e.printStackTrace(err);
        String message = e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
        err.println("handnet " + cli.getCommandName() + ": error: " + message);
        err.flush();
        return 1;
    }
}
