package io.djlprune.cli;

import static io.djlprune.cli.CliRun.assertUsageError;
import static io.djlprune.cli.CliRun.run;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.djlprune.checkpoint.PhaseCheckpoints;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.testng.Assert;
import org.testng.annotations.DataProvider;
import org.testng.annotations.Test;

/**
 * {@code --resume} after a SIGKILL: a child JVM is killed as its second epoch of a training phase begins (ChipNet's
 * pruning, sparsify's regularised training, finetune's fine-tuning), and the resumed run completes with every epoch
 * of that phase in its report exactly once.
 */
public class ResumeAfterKillTest {

    private static final int EPOCHS = 3;
    private static final List<String> DATA = List.of("--limit", "1200", "--batch-size", "32");

    /**
     * One command to kill and resume.
     *
     * @param name the case
     * @param command the command line without --output
     * @param phase the checkpoint subfolder of the phase that is killed
     * @param report the report file
     * @param history the report's list of the phase's epochs
     */
    private record Case(String name, List<String> command, String phase, String report, String history) {
        List<String> at(Path out, String... more) {
            List<String> args = new ArrayList<>(command);
            args.addAll(DATA);
            args.addAll(List.of("--output", out.toString()));
            args.addAll(List.of(more));
            return args;
        }
    }

    @DataProvider
    public Object[][] commands() {
        return new Object[][] {
            {new Case("prune", List.of("prune", "--model", "lenet5", "--budget", "flops=0.5", "--epochs", "3",
                    "--pretrain-epochs", "1", "--finetune-epochs", "0"), PhaseCheckpoints.PRUNING, PruneCommand.REPORT_FILE,
                    "history")},
            {new Case("sparsify", List.of("sparsify", "--model", "lenet5", "--regularizer", "group-hs", "--epochs", "3",
                    "--pretrain-epochs", "1", "--finetune-epochs", "1"), PhaseCheckpoints.REGULARIZED,
                    SparsifyCommand.REPORT_FILE, "regularizedTraining")},
            {new Case("finetune", List.of("finetune", "--epochs", "3"), PhaseCheckpoints.FINETUNE,
                    FinetuneCommand.REPORT_FILE, "history")},
        };
    }

    // no timeOut: TestNG would run the test on a thread of its own, where LibTorch records gradients by default
    @Test(dataProvider = "commands")
    public void killedRunResumesFromItsLastCompleteEpoch(Case test) throws Exception {
        Path dir = Files.createTempDirectory("resume-" + test.name());
        Case run = test;
        if (test.name().equals("finetune")) {
            // a quick pruned run to fine-tune from
            Path pruned = dir.resolve("pruned");
            List<String> prune = new ArrayList<>(List.of("prune", "--model", "lenet5", "--method", "l1", "--budget",
                    "flops=0.5", "--pretrain-epochs", "1", "--finetune-epochs", "0", "--output", pruned.toString()));
            prune.addAll(DATA);
            CliRun done = run(prune.toArray(String[]::new));
            Assert.assertEquals(done.exitCode(), 0, done.err());
            List<String> command = new ArrayList<>(test.command());
            command.addAll(List.of("--from", pruned.toString()));
            run = new Case(test.name(), command, test.phase(), test.report(), test.history());
        }
        Path out = dir.resolve("run");
        Path latest = dir.resolve(".run.checkpoint").resolve(run.phase()).resolve("latest.json");
        killInSecondEpoch(run.at(out), latest, dir.resolve("child.log"));
        Assert.assertEquals(epochsDone(latest), 1, "killed within the second epoch");
        Assert.assertFalse(Files.exists(out), "a killed run leaves no output");

        // a plain rerun would start over and lose the epoch: it is refused, and so is a resume with other options
        assertUsageError(run(run.at(out).toArray(String[]::new)), "--resume");
        // every command has --lr
        assertUsageError(run(run.at(out, "--resume", "--lr", "0.0123").toArray(String[]::new)), "--lr (checkpoint: ");

        CliRun resumed = run(run.at(out, "--resume").toArray(String[]::new));
        Assert.assertEquals(resumed.exitCode(), 0, resumed.err());
        JsonObject report =
                JsonParser.parseString(Files.readString(out.resolve(run.report()), StandardCharsets.UTF_8))
                        .getAsJsonObject();
        JsonArray history = report.getAsJsonArray(run.history());
        Assert.assertEquals(history.size(), EPOCHS, "every epoch exactly once: " + history);
        for (int e = 0; e < EPOCHS; e++) {
            Assert.assertEquals(history.get(e).getAsJsonObject().get("epoch").getAsInt(), e + 1, history.toString());
        }
        Assert.assertTrue(Files.isRegularFile(out.resolve(PruneCommand.MODEL_FILE)));
        Assert.assertFalse(Files.exists(dir.resolve(".run.checkpoint")), "checkpoints are removed once the run completes");
        try (var left = Files.list(dir)) {
            Assert.assertEquals(
                    left.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(".run.")).toList(), List.of(),
                    "the killed run's staging folder is removed by the resume");
        }
    }

    /** Runs the tool in a child JVM and SIGKILLs it as soon as its first epoch's checkpoint appears. */
    private static void killInSecondEpoch(List<String> args, Path latest, Path log) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add("-Dai.djl.offline=true");
        command.add(DjlPrune.class.getName());
        command.addAll(args);
        Process child = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
            while (!Files.exists(latest)) {
                Assert.assertTrue(child.isAlive(), "the child ended early:\n" + Files.readString(log));
                Assert.assertTrue(System.nanoTime() < deadline, "no checkpoint within 10 minutes");
                Thread.sleep(20);
            }
            // at once: the first checkpoint is the last thing epoch 1 writes, and on an idle machine a whole epoch of
            // this data takes well under a second, so any wait here could let the second one finish
            Assert.assertTrue(child.isAlive(), "the child must still be in its second epoch");
        } finally {
            child.destroyForcibly(); // SIGKILL on Linux: no shutdown hook runs
            child.waitFor();
        }
    }

    private static int epochsDone(Path latest) throws Exception {
        return JsonParser.parseString(Files.readString(latest)).getAsJsonObject().get("epochsDone").getAsInt();
    }
}
