package io.djlprune.chipnet;

import static io.djlprune.chipnet.PrunerTest.INPUT;
import static io.djlprune.chipnet.PrunerTest.data;
import static io.djlprune.chipnet.PrunerTest.gatedChain;
import static io.djlprune.chipnet.PrunerTest.prototypes;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDManager;
import ai.djl.training.EasyTrain;
import ai.djl.training.Trainer;
import io.djlprune.cost.Budget;
import io.djlprune.cost.BudgetKind;
import io.djlprune.graph.ChannelGraph;
import io.djlprune.graph.ChannelGroup;
import io.djlprune.graph.ChannelMask;
import io.djlprune.mask.MaskSelector;
import org.testng.Assert;
import org.testng.annotations.Test;

/** The mask pull: the soft cost of the channels the hard mask removes, and what training with it does to them. */
public class MaskPullTest {

    /** ψ far enough from 0 that z is 0 or 1 to float precision: the first {@code open} channels of each group open. */
    private static float[][] crispPsi(ChannelGraph graph, int open) {
        float[][] psi = new float[graph.groups().size()][];
        for (ChannelGroup group : graph.prunableGroups()) {
            psi[group.id()] = new float[group.size()];
            for (int c = 0; c < group.size(); c++) {
                psi[group.id()][c] = c < open ? 50f : -50f;
            }
        }
        return psi;
    }

    private static ChannelMask firstChannels(ChannelGraph graph, int kept) {
        boolean[][] keep = new boolean[graph.groups().size()][];
        for (ChannelGroup group : graph.groups()) {
            keep[group.id()] = new boolean[group.size()];
            for (int c = 0; c < group.size(); c++) {
                keep[group.id()][c] = !group.prunable() || c < kept;
            }
        }
        return ChannelMask.of(graph, keep);
    }

    @Test
    public void theTermIsTheExactCostOfTheOpenChannelsTheMaskRemoves() {
        try (NDManager manager = NDManager.newBaseManager()) {
            GatedNetwork network = gatedChain(manager);
            ChannelGraph graph = network.getGraph();
            network.setPsi(crispPsi(graph, 3));
            ChipNetLoss loss =
                    ChipNetLoss.builder()
                            .setNetwork(network)
                            .setBudget(new Budget(BudgetKind.FLOPS, 0.3))
                            .optBudgetCount(BudgetCount.GATE)
                            .optMaskPullWeight(10f)
                            .build();
            Assert.assertEquals(loss.terms(manager).removed().getFloat(), 0f, "no mask, no pull");

            // the open network keeps 3 channels per group; a mask of 2 removes one open channel from each
            double open = network.getCostModel().ratio(BudgetKind.FLOPS, firstChannels(graph, 3));
            double kept = network.getCostModel().ratio(BudgetKind.FLOPS, firstChannels(graph, 2));
            loss.setHardMask(firstChannels(graph, 2));
            Assert.assertEquals(loss.terms(manager).removed().getFloat(), open - kept, 1e-5);

            // a mask that keeps every open channel removes nothing the soft network uses
            loss.setHardMask(firstChannels(graph, 5));
            Assert.assertEquals(loss.terms(manager).removed().getFloat(), 0f, 1e-6f);
        }
    }

    @Test
    public void trainingWithThePullShutsTheChannelsTheHardMaskRemoves() throws Exception {
        double unpulled = removedAfterTraining(0f);
        double pulled = removedAfterTraining(20f);
        Assert.assertTrue(pulled < 0.5 * unpulled,
                "soft cost outside the hard mask: " + pulled + " with the pull, " + unpulled + " without");
    }

    /** Trains the small chain with ChipNet and returns the soft cost its final hard mask removes. */
    private static double removedAfterTraining(float pullWeight) throws Exception {
        try (NDManager manager = NDManager.newBaseManager();
                Model model = Model.newInstance("chain", Device.cpu(), "PyTorch")) {
            manager.getEngine().setRandomSeed(11);
            float[][] prototypes = prototypes(4);
            GatedNetwork network = gatedChain(manager, model);
            ChipNetLoss loss =
                    ChipNetLoss.builder()
                            .setNetwork(network)
                            .setBudget(new Budget(BudgetKind.FLOPS, 0.3))
                            .optBudgetCount(BudgetCount.GATE)
                            .optMaskPullWeight(pullWeight)
                            .build();
            int epochs = 6;
            Pruner pruner =
                    Pruner.builder()
                            .setNetwork(network, loss)
                            .setValidation(data(manager, 64, 3, prototypes, false))
                            .setEpochs(epochs)
                            .build();
            try (Trainer trainer =
                    model.newTrainer(
                            new ChipNetRecipe()
                                    .optLearningRate(0.05f)
                                    // ψ must travel in 48 steps
                                    .optPsiLearningRate(0.1f)
                                    .trainingConfig(network, loss, pruner, epochs, Device.cpu()))) {
                trainer.initialize(INPUT);
                EasyTrain.fit(trainer, epochs, data(manager, 256, 2, prototypes, true), null);
                // the mask the Pruner's selector chooses from the gates as training left them
                ChannelMask mask =
                        MaskSelector.builder().build().select(network.getCostModel(), loss.getBudget(), network.psi(),
                                network.softGateValues(manager));
                loss.setHardMask(mask);
                return loss.terms(manager).removed().getFloat();
            }
        }
    }
}
