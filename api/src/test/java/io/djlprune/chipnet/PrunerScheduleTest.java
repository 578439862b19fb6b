package io.djlprune.chipnet;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDManager;
import ai.djl.training.EasyTrain;
import ai.djl.training.Trainer;
import ai.djl.training.listener.TrainingListenerAdapter;
import io.djlprune.cost.Budget;
import io.djlprune.cost.BudgetKind;
import io.djlprune.gate.GateSchedule;
import java.util.ArrayList;
import java.util.List;
import org.testng.Assert;
import org.testng.annotations.Test;

/** The soft-count steepness every step trains with follows the schedule, also across epoch boundaries. */
public class PrunerScheduleTest {

    private static final int STEPS = 4;

    @Test
    public void everyStepTrainsWithItsOwnSteepness() throws Exception {
        try (NDManager manager = NDManager.newBaseManager();
                Model model = Model.newInstance("chain", Device.cpu(), "PyTorch")) {
            float[][] prototypes = PrunerTest.prototypes(1);
            GatedNetwork network = PrunerTest.gatedChain(manager, model);
            ChipNetLoss loss =
                    ChipNetLoss.builder().setNetwork(network).setBudget(new Budget(BudgetKind.FLOPS, 0.5)).build();
            int epochs = 3;
            GateSchedule schedule = GateSchedule.reference();
            Pruner pruner =
                    Pruner.builder()
                            .setNetwork(network, loss)
                            .setValidation(PrunerTest.data(manager, 32, 3, prototypes, false))
                            .setEpochs(epochs)
                            .optStepsPerEpoch(STEPS)
                            .optSchedule(schedule)
                            .build();
            // records k when a step's forward pass starts: the value that step trains with
            List<Double> used = new ArrayList<>();
            SteepnessProbe probe = new SteepnessProbe(loss, used);
            try (Trainer trainer =
                    model.newTrainer(
                            new ChipNetRecipe()
                                    .trainingConfig(network, loss, pruner, epochs, Device.cpu())
                                    .addTrainingListeners(probe))) {
                trainer.initialize(PrunerTest.INPUT);
                used.add(loss.getSteepness()); // the first step's
                EasyTrain.fit(trainer, epochs, PrunerTest.data(manager, 32 * STEPS, 2, prototypes, true), null);
            }
            // the probe adds the value after each step for the next one; the last belongs to no step
            Assert.assertEquals(used.size(), epochs * STEPS + 1);
            for (int e = 0; e < epochs; e++) {
                for (int s = 0; s < STEPS; s++) {
                    Assert.assertEquals(
                            used.get(e * STEPS + s), schedule.steepnessAt(e, s, STEPS), 1e-9,
                            "epoch " + e + " step " + s + ": " + used);
                }
            }
        }
    }

    /** After each batch (and after the Pruner's epoch hook), the steepness the next step will use. */
    private static final class SteepnessProbe extends TrainingListenerAdapter {
        private final ChipNetLoss loss;
        private final List<Double> used;
        private int inEpoch;

        SteepnessProbe(ChipNetLoss loss, List<Double> used) {
            this.loss = loss;
            this.used = used;
        }

        @Override
        public void onTrainingBatch(Trainer trainer, BatchData batchData) {
            inEpoch++;
            if (inEpoch < STEPS) {
                used.add(loss.getSteepness());
            }
        }

        @Override
        public void onEpoch(Trainer trainer) {
            inEpoch = 0;
            used.add(loss.getSteepness());
        }
    }
}
