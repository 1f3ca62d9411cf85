package dev.handnet.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;

/** The {@code handnet} command: subcommands, one-line errors, --verbose for stack traces. */
@Command(name = "handnet", mixinStandardHelpOptions = true, versionProvider = HandnetCommand.Version.class,
        description = "Neural networks trained with hand-derived backpropagation, on the CPU or any OpenCL device.",
        subcommands = {TrainCommand.class, EvaluateCommand.class, ExampleCommand.class, GradcheckCommand.class, DevicesCommand.class, ParityCommand.class,
                BenchCommand.class, TuneCommand.class,
                CommandLine.HelpCommand.class})
public final class HandnetCommand {

    @Option(names = {"-v", "--verbose"}, scope = CommandLine.ScopeType.INHERIT,
            description = "Debug logging, and a stack trace with every error.")
    void verbose(boolean on) {
        verbose = on;
        if (on) System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "debug");
    }

    private static boolean verbose;

    /** The version Maven wrote into the jar's manifest. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = HandnetCommand.class.getPackage().getImplementationVersion();
            return new String[] {"handnet " + (v != null ? v : "(not built as a jar)")};
        }
    }

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
        // File-system exceptions carry only the path as their message: add what happened.
        String message = e.getMessage() == null ? e.getClass().getSimpleName()
                : e instanceof java.nio.file.FileSystemException ? e.getMessage() + " (" + e.getClass().getSimpleName() + ")"
                : e.getMessage();
        err.println("handnet " + cli.getCommandName() + ": error: " + message);
        err.flush();
        return 1;
    }
}
