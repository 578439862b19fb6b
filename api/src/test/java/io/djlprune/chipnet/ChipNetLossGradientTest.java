package io.djlprune.chipnet;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import io.djlprune.cost.Budget;
import io.djlprune.cost.BudgetKind;
import io.djlprune.graph.ChannelGroup;
import io.djlprune.testing.ChannelValues;
import io.djlprune.testing.FreedBuffers;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.testng.Assert;
import org.testng.annotations.Test;

/**
 * The ψ gradients of a ChipNet training step do not depend on when the JVM collects garbage. They did: constants of
 * the gates, the soft cost and the loss weights borrowed Java memory that a collection between forward and backward
 * freed, and ψ became NaN within the first steps (see {@link io.djlprune.ndarray.OwnedArrays}).
 */
public class ChipNetLossGradientTest {

    @Test
    public void psiGradientsAreTheSameWhenGarbageIsCollectedBeforeBackward() {
        try (NDManager manager = NDManager.newBaseManager()) {
            manager.getEngine().setRandomSeed(7);
            GatedNetwork network = PrunerTest.gatedChain(manager);
            network.setPsi(ChannelValues.gaussian(network.getGraph(), new Random(3)));
            ChipNetLoss loss =
                    ChipNetLoss.builder().setNetwork(network).setBudget(new Budget(BudgetKind.FLOPS, 0.3)).build();
            NDArray x = manager.randomNormal(new Shape(6, 1, 12, 12));
            NDArray labels = manager.zeros(new Shape(6));
            labels.set(new float[] {0, 1, 2, 3, 0, 1});

            List<float[]> reference = psiGradients(network, loss, x, labels, false);
            for (int round = 0; round < 5; round++) {
                List<float[]> collected = psiGradients(network, loss, x, labels, true);
                for (int g = 0; g < reference.size(); g++) {
                    Assert.assertEquals(collected.get(g), reference.get(g), 1e-6f, "round " + round + ", gate " + g);
                }
            }
        }
    }

    private static List<float[]> psiGradients(
            GatedNetwork network, ChipNetLoss loss, NDArray x, NDArray labels, boolean collectBeforeBackward) {
        try (NDManager step = x.getManager().newSubManager();
                GradientCollector collector = step.getEngine().newGradientCollector()) {
            collector.zeroGradients();
            NDList predictions =
                    network.getBlock().forward(new ParameterStore(step, false), new NDList(x), true);
            NDArray value = loss.evaluate(new NDList(labels), predictions);
            List<ByteBuffer> refill = collectBeforeBackward ? FreedBuffers.collectAndFillWithNaN() : List.of();
            collector.backward(value);
            Assert.assertNotNull(refill);
            List<float[]> gradients = new ArrayList<>();
            for (ChannelGroup group : network.getGraph().prunableGroups()) {
                float[] g = network.ownerOf(group.id()).getPsi().getArray().getGradient().toFloatArray();
                for (float v : g) {
                    Assert.assertTrue(Float.isFinite(v), "ψ gradient " + v + " of group " + group.id());
                }
                gradients.add(g);
            }
            return gradients;
        }
    }
}
