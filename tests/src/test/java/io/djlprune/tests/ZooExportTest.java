package io.djlprune.tests;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import io.djlprune.compact.CompactionResult;
import io.djlprune.compact.Compactor;
import io.djlprune.cost.Budget;
import io.djlprune.cost.BudgetKind;
import io.djlprune.cost.CostModel;
import io.djlprune.criteria.L1FilterNorm;
import io.djlprune.export.TorchScriptExport;
import io.djlprune.graph.ChannelGraph;
import io.djlprune.graph.ChannelMask;
import io.djlprune.mask.MaskPlan;
import io.djlprune.mask.MaskSelector;
import io.djlprune.ops.DjlOpClassifier;
import io.djlprune.ops.OpClassifier;
import io.djlprune.zoo.model.ModelCatalog;
import java.nio.file.Files;
import java.nio.file.Path;
import org.testng.Assert;
import org.testng.annotations.DataProvider;
import org.testng.annotations.Test;

/**
 * Zoo model families pruned to a FLOPs budget, compacted and exported: each archive is loaded back through LibTorch
 * and matches the compacted DJL block (TorchScriptExport refuses to leave a file that does not).
 */
public class ZooExportTest {

    @DataProvider
    public Object[][] models() {
        return new Object[][] {
            {"lenet300"}, {"lenet5"}, {"vgg11"}, {"resnet20"}, {"preresnet164"}, {"wrn16-4"}, {"mobilenetv2"},
            {"djl-resnet18"}, {"djl-mobilenetv2"}
        };
    }

    @Test(dataProvider = "models")
    public void prunedCompactedAndExportedModelsLoadInLibTorch(String name) throws Exception {
        OpClassifier classifier = DjlOpClassifier.newInstance();
        Shape input = new Shape(1, 1, 28, 28);
        Path pt = Files.createTempDirectory("zoo-export").resolve(name + ".pt");
        try (NDManager manager = NDManager.newBaseManager()) {
            Block dense = ModelCatalog.build(name, 10);
            manager.getEngine().setRandomSeed(19);
            dense.initialize(manager, DataType.FLOAT32, input);
            InformativeWeights.perturb(dense, manager);
            ChannelGraph graph = ChannelGraph.builder().setInputShape(input).setClassifier(classifier).build(dense);
            CostModel cost = new CostModel(graph);
            Budget budget = new Budget(BudgetKind.FLOPS, 0.3);
            ChannelMask mask = MaskSelector.builder().build().select(cost, budget, new L1FilterNorm().score(graph));
            CompactionResult compact = Compactor.builder().setClassifier(classifier).build().compact(manager, dense, graph, mask);
            TorchScriptExport export = new TorchScriptExport(pt, classifier, 1e-5);
            export.export(compact, MaskPlan.of(name, "l1", cost, budget, mask), input);
            Assert.assertTrue(Files.isRegularFile(pt));
            Assert.assertTrue(export.getLastReport().maxAbsDifference() <= 1e-5);
            // the match means something only if the outputs depend on the input
            NDArray logits =
                    compact.block().forward(new ParameterStore(manager, false), new NDList(manager.randomNormal(input)), false)
                            .head();
            Assert.assertTrue(logits.abs().max().getFloat() > 1e-2f, name + " outputs are vanishing: " + logits);
            Assert.assertEquals(export.getLastReport().flops(), cost.exact(BudgetKind.FLOPS, mask));
            Assert.assertTrue(cost.ratio(BudgetKind.FLOPS, mask) <= 0.3);
        }
    }
}
