package io.djlprune.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import org.testng.Assert;
import org.testng.annotations.Test;
import picocli.CommandLine;

/** {@code djl-prune sweep}: every cell runs, the tables list them, and a second run redoes nothing. */
public class SweepCommandTest {

    private static int run(StringWriter err, String... args) {
        CommandLine commandLine = DjlPrune.commandLine();
        commandLine.setErr(new PrintWriter(err, true));
        return commandLine.execute(args);
    }

    @Test
    public void sweepWritesEveryCellAndResumesWithoutRedoing() throws IOException {
        Path out = Files.createTempDirectory("sweep").resolve("lenet5");
        String[] args = {
            "sweep", "--model", "lenet5", "--methods", "l1,random", "--budgets", "flops=0.5,params=0.3",
            "--pretrain-epochs", "1", "--epochs", "1", "--finetune-epochs", "0", "--limit", "256", "--output",
            out.toString()
        };
        StringWriter err = new StringWriter();
        Assert.assertEquals(run(err, args), 0, err.toString());
        List<String> csv = Files.readAllLines(out.resolve("results.csv"));
        Assert.assertEquals(csv.size(), 5, String.join("\n", csv));
        Assert.assertTrue(csv.get(1).startsWith("l1,flops=0.5,0.4"), csv.get(1));
        Assert.assertTrue(Files.readString(out.resolve("results.md")).contains("| random | params=0.3 |"));

        Path report = out.resolve(SweepCommand.cellName("l1", "flops=0.5")).resolve(PruneCommand.REPORT_FILE);
        FileTime before = Files.getLastModifiedTime(report);
        Assert.assertEquals(run(new StringWriter(), args), 0);
        Assert.assertEquals(Files.getLastModifiedTime(report), before, "a finished cell is not redone");
        Assert.assertEquals(Files.readAllLines(out.resolve("results.csv")), csv);
    }

    @Test
    public void unknownMethodsAndBudgetsAreUsageErrors() throws IOException {
        Path out = Files.createTempDirectory("sweep").resolve("x");
        StringWriter err = new StringWriter();
        Assert.assertEquals(
                run(err, "sweep", "--model", "lenet5", "--methods", "l1,magic", "--output", out.toString()),
                CommandLine.ExitCode.USAGE);
        Assert.assertTrue(err.toString().contains("Unknown method 'magic'"), err.toString());
        err = new StringWriter();
        Assert.assertEquals(
                run(err, "sweep", "--model", "lenet5", "--budgets", "flops=2", "--output", out.toString()),
                CommandLine.ExitCode.USAGE);
        Assert.assertFalse(Files.exists(out));
    }
}
