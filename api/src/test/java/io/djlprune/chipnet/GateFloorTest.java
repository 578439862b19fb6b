package io.djlprune.chipnet;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import io.djlprune.cost.Budget;
import io.djlprune.cost.BudgetKind;
import io.djlprune.gate.HeavisideProjection;
import io.djlprune.graph.ChannelGraph;
import io.djlprune.graph.ChannelGroup;
import io.djlprune.graph.ChannelMask;
import io.djlprune.mask.ChannelOrder;
import io.djlprune.mask.MaskSelector;
import org.testng.Assert;
import org.testng.annotations.Test;

/**
 * The gate floor: the soft network computes without the channels whose gates are at or below it, and the hard mask is
 * the set of channels above it whenever the budget admits that set, so the hard network is the soft one.
 */
public class GateFloorTest {

    private static final float FLOOR = 0.05f;

    @Test
    public void channelsAtOrBelowTheFloorAreOffInTheSoftNetwork() {
        try (NDManager manager = NDManager.newBaseManager()) {
            manager.getEngine().setRandomSeed(3);
            GatedNetwork network = PrunerTest.gatedChain(manager);
            float small = psiFor(network.getController().getProjection(), 0.02);
            float[][] psi = ladder(network.getGraph(), small);
            NDArray x = manager.randomNormal(new ai.djl.ndarray.types.Shape(4, 1, 12, 12));

            network.setPsi(psi);
            network.getController().setFloor(FLOOR);
            NDArray floored = forward(network, x, manager);

            // the same network with the small gates shut exactly and no floor computes the same
            network.getController().setFloor(0);
            network.setPsi(shut(psi, small));
            Assert.assertTrue(
                    floored.sub(forward(network, x, manager)).abs().max().getFloat() <= 1e-5f,
                    "the floor must switch the small channels off exactly");

            // without the floor the small channels pass their 2 % and the output differs
            network.setPsi(psi);
            Assert.assertTrue(
                    forward(network, x, manager).sub(floored).abs().max().getFloat() > 1e-4f,
                    "the small channels had no effect");
        }
    }

    @Test
    public void hardMaskIsTheOpenSetWhenTheBudgetAdmitsIt() {
        try (NDManager manager = NDManager.newBaseManager()) {
            GatedNetwork network = PrunerTest.gatedChain(manager);
            HeavisideProjection projection = network.getController().getProjection();
            float small = psiFor(projection, 0.02);
            float low = psiFor(projection, 0.1);
            float[][] psi = ladder(network.getGraph(), small);
            // a channel just above the floor in each group: the z-share order would give it up first, the open set
            // keeps it
            for (ChannelGroup group : network.getGraph().prunableGroups()) {
                psi[group.id()][group.size() - 1] = low;
            }
            network.setPsi(psi);
            network.getController().setFloor(FLOOR);
            // the open set keeps all but one channel per group, well under this budget: a selector alone would fill
            // the budget back with channels the soft network does not compute with
            Budget budget = new Budget(BudgetKind.CHANNELS, 0.97);
            ChipNetLoss loss =
                    ChipNetLoss.builder().setNetwork(network).setBudget(budget).optBudgetCount(BudgetCount.GATE).build();
            MaskSelector selector = MaskSelector.builder().optOrder(ChannelOrder.SOFT_SHARE).build();
            PruningPosition position = new PruningPosition(1, 1);
            HardMaskSelection selection =
                    new HardMaskSelection(
                            network, loss, selector, true, position, new BestEpoch(network, loss, "chain", null));
            ChannelMask mask = selection.choose(manager).mask();
            for (ChannelGroup group : network.getGraph().prunableGroups()) {
                for (int c = 0; c < group.size(); c++) {
                    boolean above = psi[group.id()][c] != small;
                    Assert.assertEquals(
                            mask.isKept(group.id(), c), above, "group " + group.id() + " channel " + c + ": " + mask);
                }
            }
        }
    }

    /** The first channel of every prunable group at {@code small}, the others wide open. */
    private static float[][] ladder(ChannelGraph graph, float small) {
        float[][] psi = new float[graph.groups().size()][];
        for (ChannelGroup group : graph.prunableGroups()) {
            psi[group.id()] = new float[group.size()];
            java.util.Arrays.fill(psi[group.id()], 20f);
            psi[group.id()][0] = small;
        }
        return psi;
    }

    private static float[][] shut(float[][] psi, float small) {
        float[][] out = new float[psi.length][];
        for (int g = 0; g < psi.length; g++) {
            if (psi[g] != null) {
                out[g] = psi[g].clone();
                for (int c = 0; c < out[g].length; c++) {
                    if (out[g][c] == small) {
                        out[g][c] = -200f;
                    }
                }
            }
        }
        return out;
    }

    /** The ψ whose gate is z under the projection (bisection: z rises with ψ). */
    private static float psiFor(HeavisideProjection projection, double z) {
        double lo = -50;
        double hi = 50;
        for (int i = 0; i < 100; i++) {
            double mid = (lo + hi) / 2;
            if (projection.gate((float) mid) < z) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        return (float) hi;
    }

    private static NDArray forward(GatedNetwork network, NDArray x, NDManager manager) {
        return network.getBlock().forward(new ParameterStore(manager, false), new NDList(x), true).head();
    }
}
