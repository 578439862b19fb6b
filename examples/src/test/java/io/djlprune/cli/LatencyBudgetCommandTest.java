package io.djlprune.cli;

import static io.djlprune.cli.CliRun.assertOneLineError;
import static io.djlprune.cli.CliRun.run;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.djlprune.cost.BudgetKind;
import io.djlprune.cost.LatencyKey;
import io.djlprune.cost.LatencyLayer;
import io.djlprune.cost.LatencyTableBuilder;
import io.djlprune.cost.LatencyTableFile;
import io.djlprune.cost.LayerTimer;
import io.djlprune.graph.ChannelGraph;
import io.djlprune.graph.ChannelMask;
import io.djlprune.latency.LatencyTables;
import io.djlprune.mask.MaskPlan;
import io.djlprune.mask.MaskPlanJson;
import io.djlprune.zoo.model.ModelCatalog;
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
        Assert.assertEquals(parsed.roundTo(), 8, "a latency budget rounds to the table's samples unless told");
    }

    @Test
    public void roundToIsEightForLatencyOnlyUnlessGiven() throws IOException {
        Assert.assertEquals(parse("--budget", "latency=0.5", "--round-to", "1").roundTo(), 1);
        Assert.assertEquals(parse("--budget", "flops=0.5").roundTo(), 1);
        Assert.assertEquals(parse("--budget", "flops=0.5", "--round-to", "4").roundTo(), 4);
    }

    private static PruneRun parse(String... args) throws IOException {
        PruneCommand command = new PruneCommand();
        String[] all = new String[args.length + 2];
        all[0] = "--model";
        all[1] = "lenet5";
        System.arraycopy(args, 0, all, 2, args.length);
        new CommandLine(command).parseArgs(all);
        return command.checkOptions();
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

    /** A deterministic table for the run's network under the key the run will ask for: time = 0.01 + 1e-4·in·out. */
    private static void writeTable(Path file, int batchSize) throws IOException {
        Shape input = new Shape(1, 1, 28, 28);
        try (NDManager manager = NDManager.newBaseManager()) {
            Block block = ModelCatalog.build("lenet5", 10);
            block.initialize(manager, DataType.FLOAT32, input);
            ChannelGraph graph =
                    ChannelGraph.builder().setInputShape(input).setClassifier(CompactModels.CLASSIFIER).build(block);
            LatencyKey key =
                    LatencyTables.builder().setDevice(manager.getDevice()).setClassifier(CompactModels.CLASSIFIER)
                            .optBatchSize(batchSize).build().key(graph);
            LayerTimer timer =
                    new LayerTimer() {
                        @Override
                        public Forward layer(ChannelGraph g, LatencyLayer layer, long in, long out) {
                            return constant(0.01 + 1e-4 * in * out);
                        }

                        @Override
                        public Forward network(ChannelGraph g, ChannelMask mask) {
                            // rises with every kept channel: enough for a calibration that never descends
                            int kept = g.prunableGroups().stream().mapToInt(group -> mask.keptCount(group.id())).sum();
                            return constant(1 + 0.05 * kept);
                        }
                    };
            LatencyTableFile.write(LatencyTableBuilder.builder().setKey(key).setTimer(timer).build().measure(graph), file);
        }
    }

    private static LayerTimer.Forward constant(double millis) {
        return new LayerTimer.Forward() {
            @Override
            public double millis() {
                return millis;
            }

            @Override
            public void close() {}
        };
    }

    @Test
    public void aLatencyRunReportsPredictedAndMeasuredRatiosAndReusesItsTable() throws IOException {
        Path dir = Files.createTempDirectory("latency-run");
        Path table = dir.resolve("table.json");
        // a stored table under the run's key (grid step 1: --round-to 1) is used as it is: the pruning below is
        // deterministic
        writeTable(table, 2);
        String stored = Files.readString(table);
        String[] common = {
            "prune", "--model", "lenet5", "--method", "l1", "--budget", "latency=0.5", "--pretrain-epochs", "0",
            "--finetune-epochs", "0", "--limit", "64", "--batch-size", "32", "--latency-batch", "2",
            "--latency-rounds", "3", "--latency-table", table.toString(), "--round-to", "1", "--output"
        };
        CliRun first = run(append(common, dir.resolve("a").toString()));
        Assert.assertEquals(first.exitCode(), 0, first.err());
        Assert.assertEquals(Files.readString(table), stored, "the cached table was used, not measured again");
        MaskPlan plan = MaskPlanJson.load(dir.resolve("a").resolve(PruneCommand.PLAN_FILE));
        Assert.assertEquals(plan.getBudget().kind(), BudgetKind.LATENCY);
        Assert.assertTrue(plan.getAchievedRatio() <= 0.5 && plan.getAchievedRatio() > 0.4, "predicted ≤ target: "
                + plan.getAchievedRatio());
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
        Assert.assertEquals(latency.get("rounds").getAsInt(), 3);
        Assert.assertEquals(report.getAsJsonObject("achieved").get("latency").getAsDouble(), plan.getAchievedRatio());
        // ChipNet's budget term and hard mask count the same table
        String[] chipnet = common.clone();
        chipnet[4] = "chipnet";
        CliRun gated = run(append(chipnet, dir.resolve("b").toString(), "--epochs", "1"));
        Assert.assertEquals(gated.exitCode(), 0, gated.err());
        MaskPlan gatedPlan = MaskPlanJson.load(dir.resolve("b").resolve(PruneCommand.PLAN_FILE));
        Assert.assertEquals(gatedPlan.getMethod(), "chipnet");
        Assert.assertTrue(gatedPlan.getAchievedRatio() <= 0.5, "predicted ≤ target: " + gatedPlan.getAchievedRatio());
        // another batch size is another key: the table is measured on the device and replaced (target 1: any table)
        String[] whole = common.clone();
        whole[6] = "latency=1";
        whole[java.util.Arrays.asList(whole).indexOf("--latency-batch") + 1] = "3";
        CliRun measured = run(append(whole, dir.resolve("c").toString()));
        Assert.assertEquals(measured.exitCode(), 0, measured.err());
        Assert.assertNotEquals(Files.readString(table), stored);
        Assert.assertTrue(Files.readString(table).contains("\"batchSize\": 3"));
    }

    private static String[] append(String[] head, String... tail) {
        String[] all = java.util.Arrays.copyOf(head, head.length + tail.length);
        System.arraycopy(tail, 0, all, head.length, tail.length);
        return all;
    }
}
