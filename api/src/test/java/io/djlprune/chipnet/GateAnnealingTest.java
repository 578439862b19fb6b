package io.djlprune.chipnet;

import ai.djl.ndarray.NDManager;
import io.djlprune.cost.Budget;
import io.djlprune.cost.BudgetKind;
import io.djlprune.gate.GateController;
import io.djlprune.gate.GateSchedule;
import io.djlprune.gate.HeavisideProjection;
import java.util.ArrayList;
import java.util.List;
import org.testng.Assert;
import org.testng.annotations.Test;

/**
 * The values each step trains with, driven as the Pruner drives the annealing (the position advanced first), without
 * a trainer: at epoch boundaries, while the first epoch's length is learned, in an epoch longer than configured, and
 * with γ annealed per step.
 */
public class GateAnnealingTest {

    /** The steepness and projection one step trained with. */
    private record Used(double steepness, HeavisideProjection projection) {}

    /** Runs epochs of the given actual length and returns what every step trained with, epoch by epoch. */
    private static List<List<Used>> run(GateSchedule schedule, int configuredSteps, int actualSteps, int epochs) {
        try (NDManager manager = NDManager.newBaseManager()) {
            GatedNetwork network = PrunerTest.gatedChain(manager);
            ChipNetLoss loss =
                    ChipNetLoss.builder().setNetwork(network).setBudget(new Budget(BudgetKind.FLOPS, 0.5)).build();
            GateController controller = network.getController();
            PruningPosition position = new PruningPosition(epochs, configuredSteps);
            GateAnnealing annealing = new GateAnnealing(schedule, controller, loss, position);
            position.reset();
            annealing.onTrainingBegin(null);
            position.startEpoch();
            List<List<Used>> used = new ArrayList<>();
            for (int e = 0; e < epochs; e++) {
                List<Used> epoch = new ArrayList<>();
                for (int s = 0; s < actualSteps; s++) {
                    epoch.add(new Used(loss.getSteepness(), controller.getProjection()));
                    position.countStep();
                    annealing.onTrainingBatch(null, null);
                }
                used.add(epoch);
                position.learnLength();
                position.completeEpoch();
                annealing.onEpoch(null);
                position.startEpoch();
            }
            return used;
        }
    }

    @Test
    public void eachStepOfEachEpochTrainsWithItsScheduledValues() {
        GateSchedule schedule = GateSchedule.reference();
        List<List<Used>> used = run(schedule, 4, 4, 3);
        for (int e = 0; e < 3; e++) {
            for (int s = 0; s < 4; s++) {
                Used step = used.get(e).get(s);
                Assert.assertEquals(
                        step.steepness(), schedule.steepnessAt(e, s, 4), 1e-12, "epoch " + e + " step " + s);
                Assert.assertEquals(step.projection(), schedule.projectionAt(e), "epoch " + e + " step " + s);
            }
        }
        // the first step of an epoch starts at the epoch's own value, not at the last step's of the one before
        Assert.assertEquals(used.get(1).get(0).steepness(), schedule.steepnessAt(1), 1e-12);
        Assert.assertEquals(used.get(2).get(0).steepness(), schedule.steepnessAt(2), 1e-12);
    }

    @Test
    public void theFirstEpochHoldsItsStartValueUntilItsLengthIsLearned() {
        GateSchedule schedule = GateSchedule.reference();
        List<List<Used>> used = run(schedule, 0, 4, 3);
        for (Used step : used.get(0)) {
            Assert.assertEquals(step.steepness(), schedule.steepnessAt(0), 1e-12);
        }
        for (int e = 1; e < 3; e++) {
            for (int s = 0; s < 4; s++) {
                Assert.assertEquals(used.get(e).get(s).steepness(), schedule.steepnessAt(e, s, 4), 1e-12);
            }
        }
    }

    @Test
    public void stepsBeyondTheConfiguredLengthHoldTheLastStepsValue() {
        GateSchedule schedule = GateSchedule.reference();
        List<List<Used>> used = run(schedule, 4, 6, 2);
        for (int e = 0; e < 2; e++) {
            for (int s = 0; s < 6; s++) {
                Assert.assertEquals(
                        used.get(e).get(s).steepness(), schedule.steepnessAt(e, Math.min(s, 3), 4), 1e-12,
                        "epoch " + e + " step " + s);
            }
        }
    }

    @Test
    public void gammaAnnealedPerStepFollowsTheGlobalStep() {
        GateSchedule schedule = GateSchedule.builder().optGammaStepAnnealing(12).build();
        List<List<Used>> used = run(schedule, 4, 4, 3);
        for (int e = 0; e < 3; e++) {
            for (int s = 0; s < 4; s++) {
                HeavisideProjection projection = used.get(e).get(s).projection();
                Assert.assertEquals(projection, schedule.projectionAt(e, s, 4), "epoch " + e + " step " + s);
                Assert.assertEquals(projection.gamma(), schedule.gammaAtStep(4L * e + s), 1e-9);
            }
        }
    }

    @Test
    public void gammaAnnealedPerStepNeedsTheEpochLength() {
        GateSchedule schedule = GateSchedule.builder().optGammaStepAnnealing(12).build();
        IllegalStateException e = Assert.expectThrows(IllegalStateException.class, () -> run(schedule, 0, 4, 1));
        Assert.assertTrue(e.getMessage().contains("optStepsPerEpoch"), e.getMessage());
    }
}
