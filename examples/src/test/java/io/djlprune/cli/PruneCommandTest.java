package io.djlprune.cli;

import static io.djlprune.cli.CliRun.assertOneLineError;
import static io.djlprune.cli.CliRun.run;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.djlprune.chipnet.BudgetCount;
import io.djlprune.mask.ChannelOrder;
import io.djlprune.mask.MaskPlan;
import io.djlprune.mask.MaskPlanJson;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.testng.Assert;
import org.testng.annotations.Test;
import picocli.CommandLine;

/** {@code djl-prune prune}: argument errors, a short ChipNet run, and mask transfer from its plan. */
public class PruneCommandTest {

    @Test
    public void badBudgetsAreUsageErrors() throws IOException {
        Path out = Files.createTempDirectory("prune").resolve("out");
        assertOneLineError(run("prune", "--model", "lenet5", "--budget", "flops=0", "--output", out.toString()), "(0, 1]");
        assertOneLineError(run("prune", "--model", "lenet5", "--budget", "flops=1.5"), "(0, 1]");
        assertOneLineError(run("prune", "--model", "lenet5", "--budget", "memory=0.5"), "Unknown budget kind 'memory'");
        assertOneLineError(run("prune", "--model", "lenet5", "--budget", "0.5"), "KIND=TARGET");
        assertOneLineError(run("prune", "--model", "lenet5", "--budget", "flops=0.5", "--order", "random"), "--order");
        assertOneLineError(run("prune", "--model", "lenet5", "--budget", "flops=0.5", "--round-to", "0"), "--round-to");
        assertOneLineError(run("prune", "--model", "lenet5", "--budget", "flops=0.5", "--psi-lr", "fast"), "--psi-lr");
        assertOneLineError(run("prune", "--model", "lenet5", "--budget", "flops=0.5", "--psi-lr", "-1"), "--psi-lr");
        assertOneLineError(run("prune", "--model", "lenet5", "--budget", "flops=0.5", "--kept-scale", "half"), "--kept-scale");
        assertOneLineError(run("prune", "--model", "lenet5", "--budget", "flops=0.5", "--hard-finish", "1"), "--hard-finish");
        assertOneLineError(run("prune", "--model", "lenet5", "--budget", "flops=0.5", "--hard-finish", "-0.5"), "--hard-finish");
        assertOneLineError(
                run("prune", "--model", "lenet5", "--method", "l1", "--budget", "flops=0.5", "--order", "share"),
                "--order share allocates channels by ChipNet's soft gates; method l1 has none");
        Assert.assertFalse(Files.exists(out));
    }

    @Test
    public void weightDecayReachesEveryMethodWithEachReferenceAsDefault() throws Exception {
        Assert.assertEquals(weightDecay("--method", "chipnet"), 1e-3f);
        for (String method : new String[] {"group-hs", "hs", "slimming", "group-lasso"}) {
            Assert.assertEquals(weightDecay("--method", method), 1e-4f, method);
        }
        Assert.assertEquals(weightDecay("--method", "group-hs", "--weight-decay", "5e-4"), 5e-4f);
        Assert.assertEquals(weightDecay("--method", "chipnet", "--weight-decay", "5e-4"), 5e-4f);
    }

    /** The weight decay the library's method trains with, for a prune command line. */
    private static float weightDecay(String... options) throws Exception {
        PruneCommand command = new PruneCommand();
        List<String> args = new ArrayList<>(List.of("--model", "lenet5", "--budget", "flops=0.5"));
        args.addAll(List.of(options));
        new CommandLine(command).parseArgs(args.toArray(new String[0]));
        PruneRun run = command.checkOptions();
        return run.recipe().weightDecayFor(run.method());
    }

    @Test
    public void referenceRecipeSetsThePublishedSettingsUnlessGiven() throws IOException {
        PruneCommand reference = parsed("--recipe", "reference");
        Assert.assertEquals(reference.pruning.chipnet.budgetOn, BudgetCount.SOFT_COUNT);
        Assert.assertEquals(reference.pruning.chipnet.crispWeight, 10f);
        Assert.assertEquals(reference.pruning.chipnet.budgetWeight, 30f);
        Assert.assertEquals(reference.pruning.chipnet.gateSampling, OptionConverters.GateSampling.NONE);
        Assert.assertFalse(reference.pruning.chipnet.method().toString().contains("sampled"));
        Assert.assertEquals(reference.pruning.chipnet.keptScale, OptionConverters.KeptScale.ONE);
        Assert.assertEquals(reference.checkOptions().order(), ChannelOrder.GLOBAL_SCORE);
        Assert.assertEquals(reference.pruning.chipnet.hardFinish, 0.0);
        Assert.assertEquals(reference.pruning.chipnet.psiLearningRate, Float.toString(reference.pruning.learningRate));
        Assert.assertEquals(reference.batchSize(), 32);
        Assert.assertEquals(reference.pruning.chipnet.betaStep, 0.02);
        Assert.assertEquals(reference.pruning.chipnet.betaCap, 6.0);
        Assert.assertEquals(reference.pruning.chipnet.psiInit, OptionConverters.PsiInit.UNIFORM);
        PruneCommand overridden = parsed(
                "--recipe", "reference", "--kept-scale", "soft", "--batch-size", "64", "--gate-sampling", "bernoulli");
        Assert.assertEquals(overridden.pruning.chipnet.gateSampling, OptionConverters.GateSampling.BERNOULLI);
        Assert.assertEquals(
                overridden.pruning.chipnet.keptScale, OptionConverters.KeptScale.SOFT, "an explicit option wins over the recipe");
        Assert.assertEquals(overridden.batchSize(), 64);
        Assert.assertEquals(overridden.checkOptions().order(), ChannelOrder.GLOBAL_SCORE);
        PruneCommand defaults = parsed();
        Assert.assertEquals(defaults.pruning.chipnet.keptScale, OptionConverters.KeptScale.SOFT);
        Assert.assertEquals(defaults.pruning.chipnet.crispWeight, 200f);
        Assert.assertEquals(defaults.pruning.chipnet.budgetWeight, 300f);
        Assert.assertEquals(defaults.pruning.chipnet.gateSampling, OptionConverters.GateSampling.BERNOULLI);
        Assert.assertEquals(defaults.pruning.chipnet.psiLearningRate, "auto");
        Assert.assertEquals(defaults.batchSize(), 128);
        Assert.assertNull(defaults.checkOptions().order(), "the default recipe leaves the order to ChipNet");
        Assert.assertEquals(
                parsed("--recipe", "reference", "--method", "l1").batchSize(), 128, "a recipe is ChipNet's only");
        assertOneLineError(run("prune", "--model", "lenet5", "--budget", "flops=0.5", "--recipe", "paper"), "--recipe");
    }

    @Test
    public void budgetWeightBatchNormStatisticsMaskPullAndGateSamplingReachTheMethod() throws IOException {
        PruneCommand defaults = parsed();
        Assert.assertEquals(defaults.pruning.chipnet.bnStatistics, OptionConverters.BatchNormStatistics.BATCH);
        String method = parsed("--budget-weight", "30", "--bn-statistics", "frozen").pruning.chipnet.method().toString();
        Assert.assertTrue(method.contains("budget weight 30.0") && method.contains("BatchNorm statistics frozen"), method);
        Assert.assertFalse(defaults.pruning.chipnet.method().toString().contains("frozen"));
        assertOneLineError(run("prune", "--model", "lenet5", "--budget", "flops=0.5", "--budget-weight", "-1"),
                "--budget-weight");
        assertOneLineError(run("prune", "--model", "lenet5", "--budget", "flops=0.5", "--bn-statistics", "running"),
                "--bn-statistics");
        Assert.assertEquals(defaults.pruning.chipnet.maskPull, 0f);
        Assert.assertFalse(defaults.pruning.chipnet.method().toString().contains("mask pull"));
        String pulled = parsed("--mask-pull", "30").pruning.chipnet.method().toString();
        Assert.assertTrue(pulled.contains("mask pull 30.0"), pulled);
        assertOneLineError(run("prune", "--model", "lenet5", "--budget", "flops=0.5", "--mask-pull", "NaN"),
                "--mask-pull must be a finite number ≥ 0");
        Assert.assertTrue(defaults.pruning.chipnet.method().toString().contains("sampled gates"));
        String scaled = parsed("--gate-sampling", "none").pruning.chipnet.method().toString();
        Assert.assertFalse(scaled.contains("sampled"), scaled);
        assertOneLineError(run("prune", "--model", "lenet5", "--budget", "flops=0.5", "--gate-sampling", "gumbel"),
                "--gate-sampling");
    }

    private static PruneCommand parsed(String... options) {
        PruneCommand command = new PruneCommand();
        List<String> args = new java.util.ArrayList<>(List.of("--model", "lenet5", "--budget", "flops=0.5"));
        args.addAll(List.of(options));
        CommandLine commandLine = new CommandLine(command);
        commandLine.parseArgs(args.toArray(String[]::new));
        command.pruning.applyRecipe(commandLine.getCommandSpec());
        return command;
    }

    @Test
    public void everyMethodMeetsItsBudgetAndExports() throws IOException {
        Path dir = Files.createTempDirectory("methods");
        for (String method : new String[] {"group-hs", "hs", "l1", "slimming", "group-lasso", "random"}) {
            Path out = dir.resolve(method);
            CliRun run =
                    run("prune", "--model", "resnet20", "--method", method, "--budget", "flops=0.5", "--epochs", "1",
                            "--pretrain-epochs", "0", "--finetune-epochs", "0", "--limit", "128", "--batch-size", "64",
                            "--output", out.toString());
            Assert.assertEquals(run.exitCode(), 0, method + ": " + run.err());
            MaskPlan plan = MaskPlanJson.load(out.resolve(PruneCommand.PLAN_FILE));
            Assert.assertEquals(plan.getMethod(), method);
            Assert.assertTrue(plan.getAchievedRatio() <= 0.5 && plan.getAchievedRatio() > 0.45, method + " " + plan.getAchievedRatio());
            Assert.assertTrue(Files.isRegularFile(out.resolve(PruneCommand.MODEL_FILE)), method);
        }
        assertOneLineError(run("prune", "--model", "lenet5", "--method", "magic", "--budget", "flops=0.5"), "Unknown method 'magic'");
        assertOneLineError(run("prune", "--model", "lenet5", "--method", "hs", "--alpha", "-1", "--budget", "flops=0.5"), "--alpha");
        assertOneLineError(
                run("prune", "--model", "lenet5", "--method", "group-hs", "--threshold", "-0.1", "--budget", "flops=0.5"),
                "--threshold");
    }

    @Test
    public void volumeOrderWithRoundingKeepsWholeChannelBlocks() throws IOException {
        Path out = Files.createTempDirectory("rounded").resolve("l1");
        CliRun run =
                run("prune", "--model", "resnet20", "--method", "l1", "--budget", "flops=0.25", "--order", "volume",
                        "--round-to", "8", "--pretrain-epochs", "0", "--finetune-epochs", "0", "--limit", "64",
                        "--batch-size", "32", "--output", out.toString());
        Assert.assertEquals(run.exitCode(), 0, run.err());
        MaskPlan plan = MaskPlanJson.load(out.resolve(PruneCommand.PLAN_FILE));
        Assert.assertTrue(plan.getAchievedRatio() <= 0.25, "achieved " + plan.getAchievedRatio());
        // Every group of ResNet-20 is 16, 32 or 64 wide except the fixed input (1) and classes (10).
        int[] kept = plan.keptCounts();
        for (int g = 1; g < kept.length - 1; g++) {
            Assert.assertTrue(kept[g] % 8 == 0 || kept[g] < 8, "kept " + java.util.Arrays.toString(kept));
        }
        Assert.assertTrue(Files.isRegularFile(out.resolve(PruneCommand.MODEL_FILE)));
    }

    @Test
    public void corruptTransferPlanIsRefusedByName() throws IOException {
        Path dir = Files.createTempDirectory("prune");
        Path plan = dir.resolve("plan.json");
        Files.writeString(plan, "not json");
        CliRun run =
                run("prune", "--model", "lenet5", "--budget", "flops=0.5", "--transfer-from", plan.toString(),
                        "--output", dir.resolve("out").toString());
        assertOneLineError(run, plan.toString());
        Assert.assertFalse(Files.exists(dir.resolve("out")));
    }

    @Test
    public void shortChipNetRunMeetsTheBudgetAndItsPlanTransfers() throws IOException {
        Path dir = Files.createTempDirectory("prune");
        Path out = dir.resolve("chipnet");
        CliRun run =
                run("prune", "--model", "lenet5", "--budget", "params=0.3", "--epochs", "2", "--pretrain-epochs", "1",
                        "--limit", "640", "--batch-size", "64", "--output", out.toString());
        Assert.assertEquals(run.exitCode(), 0, run.err());
        MaskPlan plan = MaskPlanJson.load(out.resolve(PruneCommand.PLAN_FILE));
        Assert.assertTrue(plan.getAchievedRatio() <= 0.3, "achieved " + plan.getAchievedRatio());
        Assert.assertTrue(plan.getAchievedRatio() > 0.29, "as close under the target as channels allow");
        JsonObject report =
                JsonParser.parseString(Files.readString(out.resolve(PruneCommand.REPORT_FILE))).getAsJsonObject();
        Assert.assertEquals(report.get("status").getAsString(), "completed");
        Assert.assertEquals(report.getAsJsonArray("history").size(), 2);
        try (var files = Files.list(out)) {
            Assert.assertTrue(files.anyMatch(p -> p.toString().endsWith(".params")), "the trained weights are saved");
        }

        Assert.assertTrue(Files.isRegularFile(out.resolve(PruneCommand.MODEL_FILE)), "the verified TorchScript export");
        Assert.assertTrue(report.get("finalTestAccuracy").getAsDouble() > 0, report.toString());
        Assert.assertEquals(run("eval", "--pt", out.resolve(PruneCommand.MODEL_FILE).toString(), "--limit", "128",
                "--repeats", "2").exitCode(), 0);
        Path exported = dir.resolve("again.pt");
        Assert.assertEquals(run("export", "--from", out.toString(), "--output", exported.toString()).exitCode(), 0);
        Assert.assertTrue(Files.isRegularFile(exported));
        Path blocker = Files.createFile(dir.resolve("a-file"));
        CliRun unwritable = run("export", "--from", out.toString(), "--output", blocker.resolve("x.pt").toString());
        assertOneLineError(unwritable, blocker.toString());
        Assert.assertFalse(Files.exists(blocker.resolve("x.pt")));

        // a plan edited to keep every channel would compact to the dense model and report the pruned ratio: refused
        JsonObject planJson =
                JsonParser.parseString(Files.readString(out.resolve(PruneCommand.PLAN_FILE))).getAsJsonObject();
        for (var group : planJson.getAsJsonArray("groups")) {
            JsonArray all = new JsonArray();
            for (int c = 0; c < group.getAsJsonObject().get("size").getAsInt(); c++) {
                all.add(c);
            }
            group.getAsJsonObject().add("kept", all);
        }
        Path editedPlan = Files.writeString(dir.resolve("edited-plan.json"), planJson.toString());
        Path editedPt = dir.resolve("edited.pt");
        CliRun edited =
                run("export", "--from", out.toString(), "--plan", editedPlan.toString(), "--output", editedPt.toString());
        assertOneLineError(edited, "records a params ratio of");
        assertOneLineError(edited, "really cost 1.00000 of the full model");
        assertOneLineError(edited, "Restore the file");
        Assert.assertFalse(Files.exists(editedPt));

        // the same architecture takes the learned plan's mask without learning (mask transfer)
        Path transferred = dir.resolve("transfer");
        CliRun transfer =
                run("prune", "--model", "lenet5", "--budget", "params=0.3", "--transfer-from",
                        out.resolve(PruneCommand.PLAN_FILE).toString(), "--pretrain-epochs", "0", "--limit", "256",
                        "--output", transferred.toString());
        Assert.assertEquals(transfer.exitCode(), 0, transfer.err());
        MaskPlan derived = MaskPlanJson.load(transferred.resolve(PruneCommand.PLAN_FILE));
        Assert.assertTrue(derived.getMethod().startsWith("transfer:"), derived.getMethod());
        Assert.assertTrue(derived.getAchievedRatio() <= 0.3);

        // a plan for LeNet-5 does not fit ResNet-20
        CliRun wrong =
                run("prune", "--model", "resnet20", "--budget", "params=0.3", "--transfer-from",
                        out.resolve(PruneCommand.PLAN_FILE).toString(), "--pretrain-epochs", "0", "--limit", "64",
                        "--output", dir.resolve("wrong").toString());
        assertOneLineError(wrong, "masks transfer only between models of the same architecture");
        Assert.assertFalse(Files.exists(dir.resolve("wrong")));
    }
}
