package io.djlprune.cli;

import static io.djlprune.cli.CliRun.assertOneLineError;
import static io.djlprune.cli.CliRun.run;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.djlprune.cost.BudgetKind;
import io.djlprune.mask.MaskPlan;
import io.djlprune.mask.MaskPlanJson;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.testng.Assert;
import org.testng.annotations.Test;
import picocli.CommandLine;

/** {@code prune --budget latency=R}: its options, its refusals, and a short run that reports predicted and measured. */
public class LatencyBudgetCommandTest {

    @Test
    public void latencyBudgetIsParsedWithItsOptions() throws IOException {
        PruneCommand command = new PruneCommand();
        new CommandLine(command)
                .parseArgs("--model", "lenet5", "--budget", "latency=0.5", "--latency-batch", "8", "--latency-rounds", "4");
        PruneRun parsed = command.checkOptions();
        Assert.assertEquals(parsed.budget().kind(), BudgetKind.LATENCY);
        Assert.assertEquals(parsed.budget().target(), 0.5);
        Assert.assertEquals(parsed.latency().batchSize(), 8);
        Assert.assertEquals(parsed.latency().rounds(), 4);
        Assert.assertNull(parsed.latency().device(), "the run's device unless --latency-device");
        Assert.assertEquals(parsed.latency().table(), Path.of("runs", "latency", "lenet5.json"));
    }

    @Test
    public void malformedLatencyBudgetsAndOptionsAreRefused() throws IOException {
        Path out = Files.createTempDirectory("latency").resolve("out");
        assertOneLineError(run("prune", "--model", "lenet5", "--budget", "latency=fast", "--output", out.toString()),
                "is not a number");
        assertOneLineError(run("prune", "--model", "lenet5", "--budget", "latency=0"), "(0, 1]");
        assertOneLineError(run("prune", "--model", "lenet5", "--budget", "latency=1.5"), "(0, 1]");
        assertOneLineError(run("prune", "--model", "lenet5", "--budget", "latency"), "KIND=TARGET");
        assertOneLineError(run("prune", "--model", "lenet5", "--budget", "latency=0.5", "--latency-batch", "0"),
                "--latency-batch");
        assertOneLineError(run("prune", "--model", "lenet5", "--budget", "latency=0.5", "--latency-rounds", "0"),
                "--latency-rounds");
        assertOneLineError(run("prune", "--model", "lenet5", "--budget", "latency=0.5", "--latency-device", "tpu"),
                "--latency-device");
        Assert.assertFalse(Files.exists(out));
    }

    @Test
    public void aLatencyRunReportsPredictedAndMeasuredRatiosAndReusesItsTable() throws IOException {
        Path dir = Files.createTempDirectory("latency-run");
        Path table = dir.resolve("table.json");
        String[] common = {
            "prune", "--model", "lenet5", "--method", "l1", "--budget", "latency=0.5", "--pretrain-epochs", "0",
            "--finetune-epochs", "0", "--limit", "64", "--batch-size", "32", "--latency-batch", "2",
            "--latency-rounds", "3", "--latency-table", table.toString(), "--output"
        };
        CliRun first = run(append(common, dir.resolve("a").toString()));
        Assert.assertEquals(first.exitCode(), 0, first.err());
        Assert.assertTrue(Files.isRegularFile(table), "the table is cached");
        String stored = Files.readString(table);
        MaskPlan plan = MaskPlanJson.load(dir.resolve("a").resolve(PruneCommand.PLAN_FILE));
        Assert.assertEquals(plan.getBudget().kind(), BudgetKind.LATENCY);
        Assert.assertTrue(plan.getAchievedRatio() <= 0.5, "predicted ≤ target: " + plan.getAchievedRatio());
        Assert.assertTrue(plan.hasRatio(BudgetKind.FLOPS));
        JsonObject report =
                JsonParser.parseString(Files.readString(dir.resolve("a").resolve(PruneCommand.REPORT_FILE)))
                        .getAsJsonObject();
        JsonObject latency = report.getAsJsonObject("latency");
        Assert.assertEquals(latency.get("target").getAsDouble(), 0.5);
        Assert.assertEquals(latency.get("predictedRatio").getAsDouble(), plan.getAchievedRatio(), 1e-12);
        Assert.assertTrue(latency.get("measuredRatio").getAsDouble() > 0, latency.toString());
        Assert.assertTrue(latency.get("denseMs").getAsDouble() > 0, latency.toString());
        Assert.assertEquals(latency.get("batchSize").getAsInt(), 2);
        Assert.assertEquals(report.getAsJsonObject("achieved").get("latency").getAsDouble(), plan.getAchievedRatio());
        // the second run finds the table under the same key and does not measure it again
        CliRun second = run(append(common, dir.resolve("b").toString()));
        Assert.assertEquals(second.exitCode(), 0, second.err());
        Assert.assertEquals(Files.readString(table), stored, "the cached table was used, not rebuilt");
        Assert.assertEquals(MaskPlanJson.load(dir.resolve("b").resolve(PruneCommand.PLAN_FILE)).keptCounts(),
                plan.keptCounts());
        // another batch size is another key: the table is measured again and replaced
        CliRun third = run(append(common, dir.resolve("c").toString(), "--latency-batch", "3"));
        Assert.assertEquals(third.exitCode(), 0, third.err());
        Assert.assertNotEquals(Files.readString(table), stored);
        Assert.assertTrue(Files.readString(table).contains("\"batchSize\": 3"));
        // ChipNet's budget term and hard mask count the same table
        String[] chipnet = common.clone();
        chipnet[4] = "chipnet";
        CliRun gated = run(append(chipnet, dir.resolve("d").toString(), "--latency-batch", "3", "--epochs", "1"));
        Assert.assertEquals(gated.exitCode(), 0, gated.err());
        MaskPlan gatedPlan = MaskPlanJson.load(dir.resolve("d").resolve(PruneCommand.PLAN_FILE));
        Assert.assertEquals(gatedPlan.getMethod(), "chipnet");
        Assert.assertTrue(gatedPlan.getAchievedRatio() <= 0.5, "predicted ≤ target: " + gatedPlan.getAchievedRatio());
    }

    private static String[] append(String[] head, String... tail) {
        String[] all = java.util.Arrays.copyOf(head, head.length + tail.length);
        System.arraycopy(tail, 0, all, head.length, tail.length);
        return all;
    }
}
