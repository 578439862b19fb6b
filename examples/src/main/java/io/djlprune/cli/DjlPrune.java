package io.djlprune.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code djl-prune} command-line tool: train, prune, compact, export and evaluate DJL models from a shell.
 *
 * <p>Every error ends in one line on standard error that names the problem, and a non-zero exit code: 2 for a bad
 * command line, 1 for a failure while running.
 */
@Command(
        name = "djl-prune",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Structured pruning (ChipNet, DeepHoyer) for Deep Java Library models.",
        subcommands = {
            TrainCommand.class,
            PruneCommand.class,
            SparsifyCommand.class,
            FinetuneCommand.class,
            ExportCommand.class,
            EvalCommand.class,
            SweepCommand.class,
            CommandLine.HelpCommand.class
        })
public final class DjlPrune implements Runnable {

    @CommandLine.Spec private CommandLine.Model.CommandSpec spec;

    /** {@inheritDoc} */
    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "Missing a command, e.g. 'train'.");
    }

    /**
     * Builds the command line with djl-prune's error handling: one line per error, no stack trace, no usage dump.
     *
     * @return the configured command line
     */
    public static CommandLine commandLine() {
        CommandLine commandLine = new CommandLine(new DjlPrune());
        commandLine.setParameterExceptionHandler(
                (e, args) -> {
                    PrintWriter err = e.getCommandLine().getErr();
                    err.println(
                            "djl-prune: "
                                    + e.getMessage()
                                    + " (see '"
                                    + e.getCommandLine().getCommandSpec().qualifiedName()
                                    + " --help')");
                    err.flush();
                    return CommandLine.ExitCode.USAGE;
                });
        commandLine.setExecutionExceptionHandler(
                (e, cl, parseResult) -> {
                    PrintWriter err = cl.getErr();
                    if (System.getenv("DJL_PRUNE_DEBUG") != null) {
                        e.printStackTrace(err);
                    }
                    err.println("djl-prune: error: " + oneLine(e));
                    err.flush();
                    return CommandLine.ExitCode.SOFTWARE;
                });
        return commandLine;
    }

    private static String oneLine(Throwable e) {
        String message = e.getMessage();
        if (message == null || message.isBlank()) {
            message = e.getClass().getName();
        }
        return message.replace('\n', ' ');
    }

    /**
     * Runs the tool and exits with its exit code.
     *
     * @param args the command line
     */
    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }
}
