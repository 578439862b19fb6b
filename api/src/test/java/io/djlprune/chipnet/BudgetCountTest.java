package io.djlprune.chipnet;

import ai.djl.ndarray.NDManager;
import io.djlprune.cost.Budget;
import io.djlprune.cost.BudgetKind;
import io.djlprune.gate.HeavisideProjection;
import io.djlprune.graph.ChannelGraph;
import io.djlprune.graph.ChannelGroup;
import java.util.Arrays;
import org.testng.Assert;
import org.testng.annotations.Test;

/**
 * What the budget term charges for a channel: with every gate at the same value z, the soft channel ratio is that
 * value's count, so the gate count charges z and the root count √z (0 and 1 exactly at the ends).
 */
public class BudgetCountTest {

    @Test
    public void rootChargesPartOpenGatesMoreThanTheirValueAndFullGatesExactly() {
        try (NDManager manager = NDManager.newBaseManager()) {
            GatedNetwork network = PrunerTest.gatedChain(manager);
            HeavisideProjection projection = network.getController().getProjection();
            for (float psi : new float[] {-20f, -0.5f, 0f, 20f}) {
                setAllPsi(network, psi);
                double z = projection.gate(psi);
                double gate = softChannelRatio(network, BudgetCount.GATE, manager);
                double root = softChannelRatio(network, BudgetCount.ROOT, manager);
                Assert.assertEquals(gate, z, 1e-5, "gate count at ψ " + psi);
                double offset = Math.sqrt(BudgetCount.ROOT_OFFSET);
                double expected = (Math.sqrt(z + BudgetCount.ROOT_OFFSET) - offset) / (Math.sqrt(1 + BudgetCount.ROOT_OFFSET) - offset);
                Assert.assertEquals(root, expected, 1e-4, "root count at ψ " + psi + " (z " + z + ")");
                if (z > 0.01 && z < 0.99) {
                    Assert.assertTrue(root > gate + 0.05, "a part-open gate (z " + z + ") must cost more than z: " + root);
                }
            }
        }
    }

    @Test
    public void unknownCountNamesTheChoices() {
        IllegalArgumentException e =
                Assert.expectThrows(IllegalArgumentException.class, () -> BudgetCount.parse("sqrt"));
        Assert.assertTrue(e.getMessage().contains("count, gate or root"), e.getMessage());
        Assert.assertEquals(BudgetCount.parse("ROOT"), BudgetCount.ROOT);
    }

    private static double softChannelRatio(GatedNetwork network, BudgetCount count, NDManager manager) {
        ChipNetLoss loss =
                ChipNetLoss.builder()
                        .setNetwork(network)
                        .setBudget(new Budget(BudgetKind.CHANNELS, 0.5))
                        .optBudgetCount(count)
                        .build();
        try (NDManager scope = manager.newSubManager()) {
            return loss.terms(scope).softRatio().getFloat();
        }
    }

    private static void setAllPsi(GatedNetwork network, float value) {
        ChannelGraph graph = network.getGraph();
        float[][] psi = new float[graph.groups().size()][];
        for (ChannelGroup group : graph.groups()) {
            psi[group.id()] = new float[group.size()];
            Arrays.fill(psi[group.id()], value);
        }
        network.setPsi(psi);
    }
}
