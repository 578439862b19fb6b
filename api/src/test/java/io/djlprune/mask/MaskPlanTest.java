package io.djlprune.mask;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.djlprune.cost.Budget;
import io.djlprune.cost.BudgetKind;
import io.djlprune.cost.CostModel;
import io.djlprune.graph.ChannelGraph;
import io.djlprune.graph.ChannelMask;
import io.djlprune.method.PlanTransfer;
import io.djlprune.testing.ChannelValues;
import io.djlprune.testing.NamedOpClassifier;
import io.djlprune.testing.TestModels;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Random;
import org.testng.Assert;
import org.testng.annotations.Test;

/**
 * Plans survive JSON, refuse the wrong model, corrupt files and kept channels edited after pruning, and transfer
 * between datasets.
 */
public class MaskPlanTest {

    private static ChannelGraph graph(NDManager manager, Block block, Shape input) {
        block.initialize(manager, DataType.FLOAT32, input);
        return ChannelGraph.builder().setInputShape(input).setClassifier(new NamedOpClassifier()).build(block);
    }

    @Test
    public void roundTripsThroughAFile() throws IOException {
        try (NDManager manager = NDManager.newBaseManager()) {
            ChannelGraph graph = graph(manager, TestModels.lenet5(), new Shape(1, 1, 28, 28));
            CostModel cost = new CostModel(graph);
            Budget budget = new Budget(BudgetKind.FLOPS, 0.3);
            float[][] psi = ChannelValues.gaussian(graph, new Random(4));
            ChannelMask mask = MaskSelector.builder().build().select(cost, budget, psi);
            MaskPlan plan = MaskPlan.of("lenet5", "chipnet", cost, budget, mask, psi).withTraining(7, 0.9, 1.1, 16.0);
            Path file = Files.createTempDirectory("plan").resolve("plan.json");
            MaskPlanJson.save(plan, file);
            MaskPlan loaded = MaskPlanJson.load(file);
            Assert.assertEquals(loaded.toMask(graph), mask);
            Assert.assertEquals(loaded.getEpoch().intValue(), 7);
            Assert.assertEquals(loaded.getAchievedRatio(), cost.ratio(BudgetKind.FLOPS, mask), 1e-12);
            Assert.assertEquals(loaded.getBudget(), budget);
            Assert.assertEquals(loaded.psi(graph)[1], psi[1]);
        }
    }

    @Test
    public void faithfulPlansOfEveryBudgetKindLoadAfterJson() throws IOException {
        try (NDManager manager = NDManager.newBaseManager()) {
            ChannelGraph graph = graph(manager, TestModels.vggChain(), new Shape(1, 3, 32, 32));
            CostModel cost = new CostModel(graph);
            Path dir = Files.createTempDirectory("plan");
            Random random = new Random(11);
            for (BudgetKind kind : cost.kinds()) {
                Budget budget = new Budget(kind, 0.37);
                ChannelMask mask = MaskSelector.builder().build().select(cost, budget, ChannelValues.gaussian(graph, random));
                Path file = dir.resolve(kind.key() + ".json");
                MaskPlanJson.save(MaskPlan.of("vgg", "l1", cost, budget, mask), file);
                Assert.assertEquals(MaskPlanJson.load(file).toMask(graph), mask, kind.key());
            }
        }
    }

    @Test
    public void keptChannelsEditedAfterPruningAreRefusedWithBothRatios() throws IOException {
        try (NDManager manager = NDManager.newBaseManager()) {
            ChannelGraph graph = graph(manager, TestModels.lenet5(), new Shape(1, 1, 28, 28));
            CostModel cost = new CostModel(graph);
            Budget budget = new Budget(BudgetKind.FLOPS, 0.3);
            ChannelMask mask =
                    MaskSelector.builder().build().select(cost, budget, ChannelValues.gaussian(graph, new Random(4)));
            Path file = Files.createTempDirectory("plan").resolve("plan.json");
            MaskPlanJson.save(MaskPlan.of("lenet5", "l1", cost, budget, mask), file);

            // keep every channel of the first pruned group, as a hand edit to get more accuracy would
            JsonObject json = JsonParser.parseString(Files.readString(file)).getAsJsonObject();
            int group = -1;
            for (int g = 0; g < mask.groupCount() && group < 0; g++) {
                if (mask.keptCount(g) < graph.groups().get(g).size()) {
                    group = g;
                }
            }
            Assert.assertTrue(group >= 0, "the budget prunes some group");
            boolean[][] keep = new boolean[mask.groupCount()][];
            for (int g = 0; g < keep.length; g++) {
                keep[g] = mask.keep(g);
            }
            JsonArray all = new JsonArray();
            for (int c = 0; c < graph.groups().get(group).size(); c++) {
                all.add(c);
                keep[group][c] = true;
            }
            json.getAsJsonArray("groups").get(group).getAsJsonObject().add("kept", all);
            Files.writeString(file, json.toString());

            MaskPlan edited = MaskPlanJson.load(file); // the file is well formed: only its costs give it away
            IllegalArgumentException e = Assert.expectThrows(IllegalArgumentException.class, () -> edited.toMask(graph));
            String message = e.getMessage();
            double recorded = cost.ratio(BudgetKind.FLOPS, mask);
            double actual = cost.ratio(BudgetKind.FLOPS, ChannelMask.of(graph, keep));
            Assert.assertTrue(actual > recorded + 1e-3, "the edit keeps more: " + recorded + " → " + actual);
            Assert.assertTrue(message.contains("Mask plan " + file), message);
            Assert.assertTrue(
                    message.contains("records a flops ratio of " + String.format(Locale.ROOT, "%.6g", recorded)), message);
            Assert.assertTrue(message.contains("really cost " + String.format(Locale.ROOT, "%.6g", actual)), message);
            Assert.assertTrue(message.contains("Restore the file"), message);
            Assert.assertTrue(message.contains("re-run 'djl-prune prune'"), message);
        }
    }

    @Test
    public void aPlanForAnotherModelIsRefused() {
        try (NDManager manager = NDManager.newBaseManager()) {
            ChannelGraph lenet = graph(manager, TestModels.lenet5(), new Shape(1, 1, 28, 28));
            ChannelGraph vgg = graph(manager, TestModels.vggChain(), new Shape(1, 1, 28, 28));
            MaskPlan plan =
                    MaskPlan.of("lenet5", "l1", new CostModel(lenet), new Budget(BudgetKind.CHANNELS, 1), ChannelMask.full(lenet));
            IllegalArgumentException e = Assert.expectThrows(IllegalArgumentException.class, () -> plan.toMask(vgg));
            Assert.assertTrue(e.getMessage().contains("made for model 'lenet5'"), e.getMessage());
            Assert.expectThrows(IllegalArgumentException.class, () -> plan.transferTo(vgg));
        }
    }

    @Test
    public void masksAndPsiTransferToTheSameArchitectureOnOtherData() {
        try (NDManager manager = NDManager.newBaseManager()) {
            // the "teacher": colour 32×32 inputs; the "student": grey 28×28 — same architecture
            ChannelGraph teacher = graph(manager, TestModels.vggChain(), new Shape(1, 3, 32, 32));
            ChannelGraph student = graph(manager, TestModels.vggChain(), new Shape(1, 1, 28, 28));
            Assert.assertNotEquals(student.fingerprint(), teacher.fingerprint());
            Assert.assertEquals(student.prunableFingerprint(), teacher.prunableFingerprint());
            CostModel teacherCost = new CostModel(teacher);
            float[][] psi = ChannelValues.gaussian(teacher, new Random(8));
            ChannelMask mask =
                    MaskSelector.builder().build().select(teacherCost, new Budget(BudgetKind.CHANNELS, 0.5), psi);
            MaskPlan plan = MaskPlan.of("vgg", "chipnet", teacherCost, new Budget(BudgetKind.CHANNELS, 0.5), mask, psi);
            Assert.expectThrows(IllegalArgumentException.class, () -> plan.toMask(student));
            ChannelMask transferred = plan.transferTo(student);
            for (int g = 0; g < student.prunableGroups().size(); g++) {
                Assert.assertEquals(
                        transferred.keptIndices(student.prunableGroups().get(g).id()),
                        mask.keptIndices(teacher.prunableGroups().get(g).id()));
            }
            CostModel studentCost = new CostModel(student);
            Budget flops = new Budget(BudgetKind.FLOPS, 0.2);
            ChannelMask rederived = PlanTransfer.rederive(plan, studentCost, flops, MaskSelector.builder().build());
            Assert.assertTrue(studentCost.ratio(BudgetKind.FLOPS, rederived) <= 0.2);
        }
    }

    @Test
    public void corruptFilesAreRefusedByName() throws IOException {
        Path dir = Files.createTempDirectory("plan");
        Path notJson = dir.resolve("a.json");
        Files.writeString(notJson, "{ this is not json");
        IOException e = Assert.expectThrows(IOException.class, () -> MaskPlanJson.load(notJson));
        Assert.assertTrue(e.getMessage().contains(notJson.toString()), e.getMessage());
        Path incomplete = dir.resolve("b.json");
        Files.writeString(incomplete, "{\"formatVersion\": 1, \"model\": \"x\"}");
        e = Assert.expectThrows(IOException.class, () -> MaskPlanJson.load(incomplete));
        Assert.assertTrue(e.getMessage().contains("lacks"), e.getMessage());
        Path future = dir.resolve("c.json");
        Files.writeString(future, "{\"formatVersion\": 9}");
        e = Assert.expectThrows(IOException.class, () -> MaskPlanJson.load(future));
        Assert.assertTrue(e.getMessage().contains("format version 9"), e.getMessage());
        e = Assert.expectThrows(IOException.class, () -> MaskPlanJson.load(dir.resolve("missing.json")));
        Assert.assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
    }
}
