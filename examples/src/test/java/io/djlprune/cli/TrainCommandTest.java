package io.djlprune.cli;

import static io.djlprune.cli.CliRun.assertOneLineError;
import static io.djlprune.cli.CliRun.run;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.testng.Assert;
import org.testng.annotations.Test;
import picocli.CommandLine;

/** {@code djl-prune train}: bad input gives one line and a non-zero exit, leaving no files; a short run works. */
public class TrainCommandTest {

    private static Path freshOutput() throws IOException {
        return Files.createTempDirectory("cli").resolve("out");
    }

    private static void assertNothingWritten(Path output) throws IOException {
        Assert.assertFalse(Files.exists(output), "no output folder may be left behind");
        try (Stream<Path> siblings = Files.list(output.getParent())) {
            Assert.assertEquals(siblings.count(), 0L, "no staging folder may be left behind");
        }
    }

    @Test
    public void unknownModelListsTheKnownOnes() throws IOException {
        Path out = freshOutput();
        CliRun run = run("train", "--model", "alexnet", "--output", out.toString());
        Assert.assertEquals(run.exitCode(), CommandLine.ExitCode.USAGE);
        assertOneLineError(run, "Unknown model 'alexnet'; known models: ");
        assertOneLineError(run, "resnet20, resnet56");
        assertNothingWritten(out);
    }

    @Test
    public void nonPositiveEpochsAndBatchSizeAreRefused() throws IOException {
        Path out = freshOutput();
        assertOneLineError(run("train", "--model", "lenet5", "--epochs", "0", "--output", out.toString()), "--epochs must be ≥ 1");
        assertOneLineError(
                run("train", "--model", "lenet5", "--batch-size", "-4", "--output", out.toString()),
                "--batch-size must be ≥ 1");
        assertOneLineError(run("train", "--model", "lenet5", "--epochs", "two"), "--epochs");
        assertNothingWritten(out);
    }

    @Test
    public void missingDataDirectoryNamesTheFileAndTheRemedy() throws IOException {
        Path out = freshOutput();
        Path missing = out.getParent().resolve("no-such-data");
        CliRun run = run("train", "--model", "lenet5", "--data-dir", missing.toString(), "--output", out.toString());
        Assert.assertEquals(run.exitCode(), CommandLine.ExitCode.SOFTWARE);
        assertOneLineError(run, missing.resolve("train-images-idx3-ubyte.gz") + " does not exist");
        assertOneLineError(run, "dataset-fashion-mnist");
        Assert.assertFalse(Files.exists(out));
    }

    @Test
    public void unwritableOutputIsRefusedBeforeTraining() throws IOException {
        Path file = Files.createTempFile("cli", ".txt");
        CliRun run = run("train", "--model", "lenet5", "--output", file.resolve("run").toString());
        assertOneLineError(run, "Cannot write to " + file);
    }

    @Test
    public void badDeviceIsAUsageError() {
        CliRun run = run("train", "--model", "lenet5", "--device", "tpu");
        Assert.assertEquals(run.exitCode(), CommandLine.ExitCode.USAGE);
        assertOneLineError(run, "Unknown device 'tpu'");
    }

    @Test
    public void shortRunWritesModelAndReport() throws IOException {
        Path out = freshOutput();
        CliRun run =
                run(
                        "train", "--model", "lenet5", "--epochs", "1", "--limit", "1024", "--batch-size", "64",
                        "--output", out.toString());
        Assert.assertEquals(run.exitCode(), 0, run.err());
        Assert.assertTrue(Files.isRegularFile(out.resolve("lenet5-0001.params")), "the DJL model file");
        JsonObject report =
                JsonParser.parseString(Files.readString(out.resolve("train-report.json"))).getAsJsonObject();
        Assert.assertEquals(report.get("model").getAsString(), "lenet5");
        Assert.assertEquals(report.get("parameterCount").getAsLong(), 431_080L);
        Assert.assertEquals(report.get("trainSamples").getAsLong(), 1024L);
        Assert.assertEquals(report.getAsJsonArray("history").size(), 1);
        double test = report.get("testAccuracy").getAsDouble();
        Assert.assertTrue(test > 0.3 && test <= 1.0, "one epoch on 1,024 images learns something: " + test);
        // a second run into the same, now non-empty folder is refused and leaves it intact
        CliRun again = run("train", "--model", "lenet5", "--epochs", "1", "--limit", "64", "--output", out.toString());
        assertOneLineError(again, "is not empty");
        Assert.assertTrue(Files.isRegularFile(out.resolve("lenet5-0001.params")));
    }
}
