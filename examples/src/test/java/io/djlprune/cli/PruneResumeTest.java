package io.djlprune.cli;

import static io.djlprune.cli.CliRun.assertUsageError;
import static io.djlprune.cli.CliRun.run;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.testng.Assert;
import org.testng.annotations.Test;

/**
 * {@code prune --resume} after a SIGKILL: a child JVM is killed during its second pruning epoch, and the resumed run
 * completes with every epoch in its report exactly once.
 */
public class PruneResumeTest {

    private static final int EPOCHS = 3;

    private static List<String> options(Path out) {
        return List.of(
                "prune", "--model", "lenet5", "--budget", "flops=0.5", "--epochs", Integer.toString(EPOCHS),
                "--pretrain-epochs", "1", "--finetune-epochs", "0", "--limit", "600", "--batch-size", "32",
                "--output", out.toString());
    }

    @Test(timeOut = 900_000)
    public void killedRunResumesFromItsLastCompleteEpoch() throws Exception {
        Path dir = Files.createTempDirectory("resume");
        Path out = dir.resolve("run");
        Path latest = dir.resolve(".run.checkpoint").resolve("training").resolve("latest.json");
        Path log = dir.resolve("child.log");

        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add("-Dai.djl.offline=true");
        command.add(DjlPrune.class.getName());
        command.addAll(options(out));
        Process child = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            // wait for the first epoch's checkpoint, then kill the child inside the second epoch
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
            while (!Files.exists(latest)) {
                Assert.assertTrue(child.isAlive(), "the child ended early:\n" + Files.readString(log));
                Assert.assertTrue(System.nanoTime() < deadline, "no checkpoint within 10 minutes");
                Thread.sleep(200);
            }
            Thread.sleep(1500);
            Assert.assertTrue(child.isAlive(), "the child must still be in its second epoch");
        } finally {
            child.destroyForcibly(); // SIGKILL on Linux: no shutdown hook runs
            child.waitFor();
        }
        Assert.assertEquals(epochsDone(latest), 1, "killed within the second epoch");
        Assert.assertFalse(Files.exists(out), "a killed run leaves no output");

        // a plain rerun would start over and lose the epoch: it is refused, and so is a resume with other options
        assertUsageError(run(options(out).toArray(String[]::new)), "--resume");
        List<String> otherLr = new ArrayList<>(options(out));
        otherLr.addAll(List.of("--resume", "--lr", "0.01"));
        assertUsageError(run(otherLr.toArray(String[]::new)), "--lr (checkpoint: 0.001, now: 0.01)");

        List<String> resume = new ArrayList<>(options(out));
        resume.add("--resume");
        CliRun resumed = run(resume.toArray(String[]::new));
        Assert.assertEquals(resumed.exitCode(), 0, resumed.err());
        JsonObject report =
                JsonParser.parseString(Files.readString(out.resolve(PruneCommand.REPORT_FILE), StandardCharsets.UTF_8))
                        .getAsJsonObject();
        JsonArray history = report.getAsJsonArray("history");
        Assert.assertEquals(history.size(), EPOCHS, "every epoch exactly once: " + history);
        for (int e = 0; e < EPOCHS; e++) {
            Assert.assertEquals(history.get(e).getAsJsonObject().get("epoch").getAsInt(), e + 1);
        }
        Assert.assertEquals(report.get("status").getAsString(), "completed");
        Assert.assertTrue(Files.isRegularFile(out.resolve(PruneCommand.MODEL_FILE)));
        Assert.assertFalse(Files.exists(dir.resolve(".run.checkpoint")), "checkpoints are removed once the run completes");
    }

    private static int epochsDone(Path latest) throws Exception {
        return JsonParser.parseString(Files.readString(latest)).getAsJsonObject().get("epochsDone").getAsInt();
    }

}
