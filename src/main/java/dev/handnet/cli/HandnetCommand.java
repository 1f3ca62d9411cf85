package dev.handnet.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;

/** The {@code handnet} command: subcommands, one-line errors, --verbose for stack traces. */
@Command(name = "handnet", mixinStandardHelpOptions = true, versionProvider = HandnetCommand.Version.class,
        description = "Neural networks trained with hand-derived backpropagation, on the CPU or any OpenCL device.",
        subcommands = {TrainCommand.class, EvaluateCommand.class, PredictCommand.class, RunsCommand.class, ExampleCommand.class, GradcheckCommand.class, DevicesCommand.class, ParityCommand.class,
                BenchCommand.class, TuneCommand.class,
                PlotCommand.class,
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
            return new String[] {"handnet " + version()};
        }
    }

    /** The version Maven wrote into the jar's manifest, or "(not built as a jar)". */
    static String version() {
        String v = HandnetCommand.class.getPackage().getImplementationVersion();
        return v != null ? v : "(not built as a jar)";
    }

    public static void main(String[] args) {
        // Before the first logger is made: SLF4J's simple logger reads its level once.
        if (java.util.List.of(args).contains("--verbose") || java.util.List.of(args).contains("-v")) {
            System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "debug");
        }
        System.exit(run(args));
    }

    /** Runs the command line and returns its exit code: 0 success, 1 a run-time or data error, 2 a usage error. */
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
                .setParameterExceptionHandler(HandnetCommand::reportUsageError)
                .setExecutionExceptionHandler(HandnetCommand::reportError);
        try {
            return cli.execute(args);
        } catch (OutOfMemoryError e) {
            // Errors pass picocli's handlers; by now the failed allocation's memory is free again.
            return report(err, commandName(cli), e, "out of memory: the Java heap (at most "
                    + Runtime.getRuntime().maxMemory() / (1 << 20) + " MiB) is full; give the JVM more with"
                    + " JAVA_OPTS=-Xmx8g, or use a smaller --batch or --limit", 1);
        }
    }

    /**
     * Usage errors (exit 2): one line naming the option and what was expected, then where help
     * is, not the whole usage text.
     */
    private static int reportUsageError(CommandLine.ParameterException e, String[] args) {
        CommandLine cli = e.getCommandLine();
        String name = cli.getCommandSpec().qualifiedName(" ");
        return report(cli.getErr(), name, e, e.getMessage() + " (see '" + name + " --help')", 2);
    }

    /** Run-time and data errors (exit 1): one line naming what was wrong; the stack trace only with --verbose. */
    private static int reportError(Exception e, CommandLine cli, CommandLine.ParseResult parsed) {
        // File-system exceptions carry only the path as their message: add what happened.
        String message = e.getMessage() == null ? e.getClass().getSimpleName()
                : e instanceof java.nio.file.FileSystemException ? e.getMessage() + " (" + e.getClass().getSimpleName() + ")"
                : e.getMessage();
        return report(cli.getErr(), cli.getCommandSpec().qualifiedName(" "), e, message, 1);
    }

    /** Prints {@code handnet CMD: error: message} (after the stack trace with --verbose); returns code. */
    private static int report(PrintWriter err, String command, Throwable e, String message, int code) {
        if (verbose) e.printStackTrace(err);
        err.println(command + ": error: " + message.replace('\n', ' '));
        err.flush();
        return code;
    }

    /** "handnet train" for the subcommand that was running, else "handnet". */
    private static String commandName(CommandLine cli) {
        CommandLine.ParseResult parsed = cli.getParseResult();
        if (parsed == null) return "handnet";
        java.util.List<CommandLine> chain = parsed.asCommandLineList();
        return chain.get(chain.size() - 1).getCommandSpec().qualifiedName(" ");
    }
}
