package io.djlprune.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.testng.Assert;
import picocli.CommandLine;

/** The exit code and standard error of one in-process {@code djl-prune} run, and the checks the CLI tests make on it. */
record CliRun(int exitCode, String err) {

    /**
     * Runs the tool in this JVM, capturing its standard error.
     *
     * @param args the command line
     * @return the result
     */
    static CliRun run(String... args) {
        StringWriter err = new StringWriter();
        CommandLine commandLine = DjlPrune.commandLine();
        commandLine.setErr(new PrintWriter(err, true));
        int exit = commandLine.execute(args);
        return new CliRun(exit, err.toString());
    }

    /**
     * Asserts the run failed with exactly one line of error, prefixed by the tool's name, that contains a text.
     *
     * @param run the result
     * @param expected the text the line must contain
     */
    static void assertOneLineError(CliRun run, String expected) {
        Assert.assertNotEquals(run.exitCode(), 0, run.err());
        List<String> lines = run.err().lines().toList();
        Assert.assertEquals(lines.size(), 1, "one line of error, got: " + run.err());
        Assert.assertTrue(lines.get(0).startsWith("djl-prune: "), lines.get(0));
        Assert.assertTrue(lines.get(0).contains(expected), "expected '" + expected + "' in: " + lines.get(0));
    }

    /**
     * Asserts the run was refused as a bad command line (exit code 2) with one line of error containing a text.
     *
     * @param run the result
     * @param expected the text the line must contain
     */
    static void assertUsageError(CliRun run, String expected) {
        Assert.assertEquals(run.exitCode(), CommandLine.ExitCode.USAGE, run.err());
        assertOneLineError(run, expected);
    }
}
