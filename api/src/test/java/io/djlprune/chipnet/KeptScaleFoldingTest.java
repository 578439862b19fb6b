package io.djlprune.chipnet;

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
import io.djlprune.gate.Gate;
import io.djlprune.gate.GateController;
import io.djlprune.gate.GateMode;
import io.djlprune.graph.ChannelGraph;
import io.djlprune.graph.ChannelMask;
import io.djlprune.mask.MaskSelector;
import io.djlprune.testing.ChannelValues;
import io.djlprune.testing.NamedOpClassifier;
import io.djlprune.testing.TestModels;
import java.util.Random;
import java.util.function.Function;
import org.testng.Assert;
import org.testng.annotations.Test;

/**
 * A hard mask whose kept channels keep their soft gate value z computes, after the values are folded into the
 * weights, the same function in the gated network (0/1 gates) and in the compacted network — for gates after a
 * BatchNorm, after a convolution and after a linear layer, on a chain and across residual adds.
 */
public class KeptScaleFoldingTest {

    @Test
    public void foldedSoftScaleIsWhatTheScaledHardMaskComputedAndWhatCompactionKeeps() {
        check(c -> TestModels.lenet5(), new Shape(1, 1, 28, 28));
        check(c -> TestModels.vggChain(), new Shape(1, 3, 16, 16));
        check(TestModels::residual, new Shape(1, 3, 16, 16));
    }

    private static void check(Function<NamedOpClassifier, Block> model, Shape input) {
        try (NDManager manager = NDManager.newBaseManager()) {
            manager.getEngine().setRandomSeed(3);
            NamedOpClassifier classifier = new NamedOpClassifier();
            Block dense = model.apply(classifier);
            GatedNetwork gated = gate(dense, classifier, input, manager);
            ChannelGraph graph = gated.getGraph();
            Random random = new Random(4);
            float[][] psi = ChannelValues.gaussian(graph, random);
            for (float[] values : psi) {
                if (values != null) {
                    for (int c = 0; c < values.length; c++) {
                        values[c] *= 2; // z from about 0.1 to 0.98: far from the reference's 1
                    }
                }
            }
            gated.setPsi(psi);
            float[][] z = gated.softGateValues(manager);
            ChannelMask mask =
                    MaskSelector.builder().build().select(new CostModel(graph), new Budget(BudgetKind.FLOPS, 0.4), psi);
            NDArray x = manager.randomNormal(new Shape(4, input.get(1), input.get(2), input.get(3)));

            gated.applyHardMask(mask, z);
            NDArray scaled = forward(gated.getBlock(), x, manager);
            gated.applyHardMask(mask);
            NDArray unscaled = forward(gated.getBlock(), x, manager);
            Assert.assertTrue(maxDifference(scaled, unscaled) > 1e-3f, "the factors changed nothing");

            gated.foldHardMask(mask, z);
            NDArray folded = forward(gated.getBlock(), x, manager);
            Assert.assertTrue(maxDifference(scaled, folded) <= 1e-4f * scale(scaled), "folding changed the output");

            CompactionResult compact =
                    Compactor.builder().setClassifier(classifier).build().compact(manager, dense, graph, mask);
            NDArray compacted = forward(compact.block(), x, manager);
            Assert.assertTrue(
                    maxDifference(scaled, compacted) <= 1e-4f * scale(scaled), "compaction lost the folded factors");
        }
    }

    @Test
    public void hardValuesScaleKeptChannelsAndZeroTheRest() {
        try (NDManager manager = NDManager.newBaseManager()) {
            GateController controller = new GateController();
            Gate gate = Gate.builder().setChannels(3).setController(controller).build();
            gate.initialize(manager, DataType.FLOAT32, new Shape(2, 3));
            gate.setHardValues(new float[] {0.5f, 0f, 2f});
            controller.setMode(GateMode.HARD);
            NDArray x = manager.create(new float[] {1, -1, 3, -2, Float.NEGATIVE_INFINITY, 4}, new Shape(2, 3));
            float[] out = forward(gate, x, manager).toFloatArray();
            Assert.assertEquals(out, new float[] {0.5f, 0f, 6f, -1f, 0f, 8f});
            Assert.assertEquals(gate.getKeepMask(), new boolean[] {true, false, true});
            gate.setKeepMask(new boolean[] {true, true, false});
            Assert.assertEquals(forward(gate, x, manager).toFloatArray(), new float[] {1, -1, 0, -2, Float.NEGATIVE_INFINITY, 0});
            for (float bad : new float[] {-0.1f, Float.NaN, Float.POSITIVE_INFINITY}) {
                IllegalArgumentException e =
                        Assert.expectThrows(
                                IllegalArgumentException.class, () -> gate.setHardValues(new float[] {1f, bad, 1f}));
                Assert.assertTrue(e.getMessage().contains("hard value 1"), e.getMessage());
            }
        }
    }

    @Test
    public void keptChannelsNeedAPositiveFactor() {
        try (NDManager manager = NDManager.newBaseManager()) {
            GatedNetwork gated = gate(TestModels.lenet5(), new NamedOpClassifier(), new Shape(1, 1, 28, 28), manager);
            ChannelGraph graph = gated.getGraph();
            float[][] psi = ChannelValues.gaussian(graph, new Random(1));
            ChannelMask mask =
                    MaskSelector.builder().build().select(new CostModel(graph), new Budget(BudgetKind.FLOPS, 0.5), psi);
            float[][] factors = gated.softGateValues(manager);
            int group = graph.prunableGroups().get(0).id();
            int kept = 0;
            while (!mask.keep(group)[kept]) {
                kept++;
            }
            factors[group][kept] = 0f;
            IllegalArgumentException e =
                    Assert.expectThrows(IllegalArgumentException.class, () -> gated.foldHardMask(mask, factors));
            Assert.assertTrue(e.getMessage().contains("Kept channel " + kept), e.getMessage());
        }
    }

    /** The network initialised, its channel graph built and its gates inserted and initialised. */
    private static GatedNetwork gate(Block dense, NamedOpClassifier classifier, Shape input, NDManager manager) {
        dense.initialize(manager, DataType.FLOAT32, input);
        ChannelGraph graph = ChannelGraph.builder().setInputShape(input).setClassifier(classifier).build(dense);
        GatedNetwork gated = GatedNetwork.of(dense, graph);
        gated.getBlock().initialize(manager, DataType.FLOAT32, input);
        return gated;
    }

    private static NDArray forward(Block block, NDArray x, NDManager manager) {
        return block.forward(new ParameterStore(manager, false), new NDList(x), false).head();
    }

    private static float maxDifference(NDArray a, NDArray b) {
        return a.sub(b).abs().max().getFloat();
    }

    private static float scale(NDArray a) {
        return Math.max(1f, a.abs().max().getFloat());
    }
}
