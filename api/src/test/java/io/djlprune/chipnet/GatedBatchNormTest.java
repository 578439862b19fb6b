package io.djlprune.chipnet;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import io.djlprune.graph.ChannelGraph;
import io.djlprune.gate.GateMode;
import io.djlprune.graph.ChannelGroup;
import io.djlprune.testing.ChannelValues;
import io.djlprune.testing.NamedOpClassifier;
import java.util.Random;
import org.testng.Assert;
import org.testng.annotations.Test;

/** A gate joined into its BatchNorm computes what the BatchNorm followed by the gate computes, gradients included. */
public class GatedBatchNormTest {

    private static final Shape BATCH = new Shape(6, 1, 12, 12);

    @Test
    public void joinedGateMatchesThePlainProductAndItsPsiGradients() {
        try (NDManager manager = NDManager.newBaseManager()) {
            manager.getEngine().setRandomSeed(11);
            Block dense = PrunerTest.smallChain();
            dense.initialize(manager, DataType.FLOAT32, new Shape(1, 1, 12, 12));
            ChannelGraph graph =
                    ChannelGraph.builder()
                            .setInputShape(new Shape(1, 1, 12, 12))
                            .setClassifier(new NamedOpClassifier())
                            .build(dense);
            GatedNetwork joined = GatedNetwork.of(dense, graph, true);
            GatedNetwork plain = GatedNetwork.of(dense, graph, false);
            Assert.assertTrue(contains(joined.getBlock(), GatedBatchNorm.class), "no gate was joined");
            Assert.assertFalse(contains(plain.getBlock(), GatedBatchNorm.class));
            joined.getBlock().initialize(manager, DataType.FLOAT32, new Shape(1, 1, 12, 12));
            plain.getBlock().initialize(manager, DataType.FLOAT32, new Shape(1, 1, 12, 12));
            float[][] psi = ChannelValues.gaussian(graph, new Random(5));
            joined.setPsi(psi);
            plain.setPsi(psi);
            NDArray x = manager.randomNormal(BATCH);
            for (boolean training : new boolean[] {false, true}) {
                NDArray a = forwardAndBackward(joined, x, training, manager);
                NDArray b = forwardAndBackward(plain, x, training, manager);
                Assert.assertTrue(a.sub(b).abs().max().getFloat() <= 1e-5f, "outputs differ, training " + training);
                for (ChannelGroup group : graph.prunableGroups()) {
                    NDArray ga = joined.ownerOf(group.id()).getPsi().getArray().getGradient();
                    NDArray gb = plain.ownerOf(group.id()).getPsi().getArray().getGradient();
                    float scale = Math.max(1e-3f, gb.abs().max().getFloat());
                    Assert.assertTrue(
                            ga.sub(gb).abs().max().getFloat() <= 1e-4f * scale,
                            "ψ gradients of group " + group.id() + " differ: " + ga + " vs " + gb);
                }
            }
        }
    }

    @Test
    public void frozenStatisticsNormaliseByTheRunningOnesAndKeepThem() {
        try (NDManager manager = NDManager.newBaseManager()) {
            manager.getEngine().setRandomSeed(12);
            Shape input = new Shape(1, 1, 12, 12);
            Block dense = PrunerTest.smallChain();
            dense.initialize(manager, DataType.FLOAT32, input);
            ChannelGraph graph =
                    ChannelGraph.builder().setInputShape(input).setClassifier(new NamedOpClassifier()).build(dense);
            GatedNetwork network = GatedNetwork.of(dense, graph);
            network.getBlock().initialize(manager, DataType.FLOAT32, input);
            network.setPsi(ChannelValues.gaussian(graph, new Random(6)));
            // running statistics away from the batch's, so the two normalisations differ
            NDArray x = manager.randomNormal(3f, 2f, BATCH, DataType.FLOAT32);
            NDArray evaluated = forwardAndBackward(network, x, false, manager);
            String before = runningStatistics(dense);
            network.getController().setFrozenStatistics(true);
            for (GateMode mode : new GateMode[] {GateMode.SOFT, GateMode.HARD}) {
                network.getController().setMode(mode);
                NDArray trained = forwardAndBackward(network, x, true, manager);
                NDArray inference = forwardAndBackward(network, x, false, manager);
                Assert.assertTrue(trained.sub(inference).abs().max().getFloat() <= 1e-5f,
                        mode + ": a frozen training forward is the inference forward");
                Assert.assertEquals(runningStatistics(dense), before, mode + ": the running statistics did not move");
            }
            network.getController().setMode(GateMode.SOFT);
            network.getController().setFrozenStatistics(false);
            NDArray batch = forwardAndBackward(network, x, true, manager);
            Assert.assertTrue(batch.sub(evaluated).abs().max().getFloat() > 1e-2f, "batch statistics differ");
            Assert.assertNotEquals(runningStatistics(dense), before, "a batch-statistics forward updates them");
        }
    }

    private static String runningStatistics(Block block) {
        StringBuilder text = new StringBuilder();
        for (var entry : block.getParameters()) {
            if (entry.getKey().endsWith("runningMean") || entry.getKey().endsWith("runningVar")) {
                text.append(java.util.Arrays.toString(entry.getValue().getArray().toFloatArray()));
            }
        }
        return text.toString();
    }

    private static NDArray forwardAndBackward(GatedNetwork network, NDArray x, boolean training, NDManager manager) {
        try (GradientCollector collector = manager.getEngine().newGradientCollector()) {
            NDArray out = network.getBlock().forward(new ParameterStore(manager, false), new NDList(x), training).head();
            // A weighted sum, so every output and channel carries a different gradient.
            NDArray weights = manager.arange((float) out.size()).reshape(out.getShape()).div(out.size());
            collector.backward(out.mul(weights).sum());
            return out;
        }
    }

    private static boolean contains(Block block, Class<?> type) {
        if (type.isInstance(block)) {
            return true;
        }
        return block.getChildren().values().stream().anyMatch(child -> contains(child, type));
    }
}
