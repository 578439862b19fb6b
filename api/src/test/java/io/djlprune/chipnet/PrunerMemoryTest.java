package io.djlprune.chipnet;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDManager;
import ai.djl.training.EasyTrain;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.ArrayDataset;
import io.djlprune.cost.Budget;
import io.djlprune.cost.BudgetKind;
import io.djlprune.memory.LiveArrayRecorder;
import java.util.List;
import org.testng.Assert;
import org.testng.annotations.DataProvider;
import org.testng.annotations.Test;

/**
 * ChipNet training holds a constant number of native arrays from step to step and from epoch to epoch: soft gates
 * (through a BatchNorm and a plain gate), the hard finish, kept soft scales, hard-mask validation and the best-epoch
 * snapshot. A leak of a few arrays per step exhausted 24 GiB over the README's 20 epochs.
 */
public class PrunerMemoryTest {

    @DataProvider
    public Object[][] variants() {
        return new Object[][] {
            {"soft gates", 0.0, false, 0f, false},
            {"hard finish", 0.5, false, 0f, false},
            {"kept soft scale", 0.5, true, 0f, false},
            {"mask pull", 0.5, true, 30f, false},
            {"sampled gates", 0.5, true, 0f, true}
        };
    }

    @Test(dataProvider = "variants")
    public void liveArraysDoNotGrow(
            String name, double hardFinish, boolean keepSoftScale, float maskPull, boolean sampled) throws Exception {
        try (NDManager manager = NDManager.newBaseManager();
                Model model = Model.newInstance("chain", Device.cpu(), "PyTorch")) {
            manager.getEngine().setRandomSeed(3);
            float[][] prototypes = PrunerTest.prototypes(1);
            ArrayDataset train = PrunerTest.data(manager, 192, 2, prototypes, true); // 6 steps per epoch
            ArrayDataset validation = PrunerTest.data(manager, 64, 3, prototypes, false);
            GatedNetwork network = PrunerTest.gatedChain(manager, model);
            network.getController().setSampled(sampled);
            ChipNetLoss loss =
                    ChipNetLoss.builder()
                            .setNetwork(network)
                            .setBudget(new Budget(BudgetKind.FLOPS, 0.5))
                            .optMaskPullWeight(maskPull)
                            .build();
            int epochs = 4;
            Pruner pruner =
                    Pruner.builder()
                            .setNetwork(network, loss)
                            .setValidation(validation)
                            .setEpochs(epochs)
                            .optStepsPerEpoch(6)
                            .optHardFinish(hardFinish)
                            .optKeepSoftScale(keepSoftScale)
                            .build();
            LiveArrayRecorder recorder = new LiveArrayRecorder();
            try (Trainer trainer =
                    model.newTrainer(
                            new ChipNetRecipe()
                                    .trainingConfig(network, loss, pruner, epochs, Device.cpu())
                                    .addTrainingListeners(recorder))) {
                trainer.initialize(PrunerTest.INPUT);
                EasyTrain.fit(trainer, epochs, train, validation);
            }
            List<Integer> steps = recorder.getStepCounts();
            Assert.assertEquals(steps.size(), 24);
            // Within the first epoch from step 2 on (the optimiser's state exists); from the second epoch on (the
            // best epoch's weight snapshot exists); within the hard finish (the gates no longer make z).
            int finishStart = hardFinish > 0 ? 12 : 24;
            for (int s = 2; s < 6; s++) {
                Assert.assertEquals(steps.get(s), steps.get(1), name + ": first-epoch step " + s + " of " + steps);
            }
            for (int s = 7; s < finishStart; s++) {
                Assert.assertEquals(steps.get(s), steps.get(6), name + ": soft step " + s + " of " + steps);
            }
            for (int s = finishStart + 1; s < 24; s++) {
                Assert.assertEquals(steps.get(s), steps.get(finishStart), name + ": hard-finish step " + s + " of " + steps);
            }
            // epoch ends include the hard-mask validation and, when it improves, a new best-weight snapshot
            List<Integer> ends = recorder.getEpochCounts();
            Assert.assertEquals(ends.size(), epochs);
            for (int e = 2; e < epochs; e++) {
                Assert.assertEquals(ends.get(e), ends.get(1), name + ": epoch ends " + ends);
            }
        }
    }
}
