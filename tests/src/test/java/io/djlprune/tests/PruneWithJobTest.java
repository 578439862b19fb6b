package io.djlprune.tests;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.djlprune.cost.Budget;
import io.djlprune.cost.BudgetKind;
import io.djlprune.cost.CostModel;
import io.djlprune.data.DataSplits;
import io.djlprune.engine.LoadedTorchScript;
import io.djlprune.examples.PruneWithJob;
import io.djlprune.export.TorchScriptExport;
import io.djlprune.graph.ChannelGraph;
import io.djlprune.mask.MaskPlan;
import io.djlprune.mask.MaskPlanJson;
import io.djlprune.ops.DjlOpClassifier;
import io.djlprune.pipeline.PruningResult;
import io.djlprune.zoo.data.SyntheticImages;
import io.djlprune.zoo.model.ModelCatalog;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.testng.Assert;
import org.testng.annotations.Test;

/**
 * The pruning API as the README shows it: L1 and ChipNet through a {@code PruningJob} end in a compacted network
 * within the budget and a TorchScript file LibTorch loads, and the README's lines are the example's, verbatim.
 */
public class PruneWithJobTest {

    private static final Path EXAMPLE =
            Path.of("..", "examples", "src", "main", "java", "io", "djlprune", "examples", "PruneWithJob.java");

    @Test
    public void l1JobMeetsTheBudgetAndExportsALoadableModel() throws Exception {
        Path pt = Files.createTempDirectory("job-l1").resolve("l1.pt");
        try (NDManager manager = NDManager.newBaseManager();
                Model model = Model.newInstance("lenet5")) {
            DataSplits data = lenet5(manager, model);
            long denseFlops = denseCost(model, data).full(BudgetKind.FLOPS);
            PruningResult result = PruneWithJob.l1(model, data, Budget.parse("flops=0.5"), pt, manager);
            Assert.assertEquals(result.plan().getMethod(), "l1");
            Assert.assertTrue(result.plan().getRatio(BudgetKind.FLOPS) <= 0.5, "FLOPs " + result.plan().getRatio(BudgetKind.FLOPS));
            Assert.assertTrue(result.flops() <= denseFlops / 2, result.flops() + " of " + denseFlops);
            Assert.assertEquals(result.fineTuning().size(), 2);
            Assert.assertTrue(result.history().isEmpty());
            assertLoadable(pt, result.plan());
        }
    }

    @Test
    public void chipNetJobLearnsItsMaskOverTheRecipesEpochs() throws Exception {
        Path pt = Files.createTempDirectory("job-chipnet").resolve("chipnet.pt");
        try (NDManager manager = NDManager.newBaseManager();
                Model model = Model.newInstance("lenet5")) {
            DataSplits data = lenet5(manager, model);
            PruningResult result = PruneWithJob.chipnet(model, data, Budget.parse("flops=0.3"), pt, manager);
            Assert.assertEquals(result.plan().getMethod(), "chipnet");
            Assert.assertEquals(result.history().size(), 20);
            Assert.assertTrue(result.plan().getRatio(BudgetKind.FLOPS) <= 0.3);
            Assert.assertTrue(result.plan().hasPsi(), "a ChipNet plan carries its gates");
            Assert.assertTrue(Files.isRegularFile(pt.resolveSibling("plan.json")));
            assertLoadable(pt, result.plan());
        }
    }

    @Test
    public void readmeShowsTheExamplesLinesVerbatim() throws IOException {
        String readme = Files.readString(Path.of("..", "README.md"), StandardCharsets.UTF_8);
        List<String> source = Files.readAllLines(EXAMPLE, StandardCharsets.UTF_8);
        for (String name : new String[] {"l1", "chipnet"}) {
            List<String> snippet = snippet(source, name);
            Assert.assertTrue(snippet.size() >= 5 && snippet.size() <= 15, name + ": " + snippet.size() + " lines");
            Assert.assertTrue(
                    readme.contains(String.join("\n", snippet) + "\n"),
                    "README.md must show the " + name + " lines of PruneWithJob.java as they are:\n" + String.join("\n", snippet));
        }
    }

    /** The lines between "// README:name begin" and "end", without the method body's indentation. */
    private static List<String> snippet(List<String> source, String name) {
        List<String> lines = new ArrayList<>();
        boolean inside = false;
        for (String line : source) {
            if (line.trim().equals("// README:" + name + " begin")) {
                inside = true;
            } else if (line.trim().equals("// README:" + name + " end")) {
                return lines;
            } else if (inside) {
                lines.add(line.startsWith("        ") ? line.substring(8) : line.strip());
            }
        }
        throw new AssertionError("No README:" + name + " markers in " + EXAMPLE);
    }

    private static DataSplits lenet5(NDManager manager, Model model) {
        // a fixed seed: otherwise the starting weights depend on what ran before in this JVM
        Engine.getInstance().setRandomSeed(1234);
        DataSplits data = SyntheticImages.builder().optSizes(256, 64, 64).optBatchSize(32).optSeed(3).build(manager);
        model.setBlock(ModelCatalog.build("lenet5", data.classes()));
        model.getBlock().initialize(manager, DataType.FLOAT32, data.batchShape(1));
        return data;
    }

    private static CostModel denseCost(Model model, DataSplits data) {
        return new CostModel(
                ChannelGraph.builder()
                        .setInputShape(data.batchShape(1))
                        .setClassifier(DjlOpClassifier.newInstance())
                        .build(model.getBlock()));
    }

    private static void assertLoadable(Path pt, MaskPlan plan) throws Exception {
        Assert.assertTrue(Files.isRegularFile(pt));
        try (LoadedTorchScript loaded = LoadedTorchScript.load(pt, Device.cpu(), TorchScriptExport.PLAN_ENTRY);
                NDManager manager = NDManager.newBaseManager()) {
            MaskPlan exported =
                    MaskPlanJson.fromJson(loaded.extraFile(TorchScriptExport.PLAN_ENTRY).orElseThrow(), pt.toString());
            Assert.assertEquals(exported.getAchievedRatio(), plan.getAchievedRatio(), 1e-12);
            NDList out = loaded.predict(new NDList(manager.randomNormal(new Shape(3, 1, 28, 28))));
            Assert.assertEquals(out.head().getShape(), new Shape(3, 10));
        }
    }
}
