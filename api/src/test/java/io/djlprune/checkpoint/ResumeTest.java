package io.djlprune.checkpoint;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.EasyTrain;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.ArrayDataset;
import ai.djl.util.Pair;
import io.djlprune.chipnet.ChipNetLoss;
import io.djlprune.chipnet.ChipNetRecipe;
import io.djlprune.chipnet.GatedNetwork;
import io.djlprune.chipnet.Pruner;
import io.djlprune.chipnet.PrunerFixtures;
import io.djlprune.chipnet.PruningEpoch;
import io.djlprune.cost.Budget;
import io.djlprune.cost.BudgetKind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.testng.Assert;
import org.testng.annotations.DataProvider;
import org.testng.annotations.Test;

/**
 * A ChipNet run stopped after some epochs and resumed from its checkpoint ends exactly as the same run without the
 * stop: the same history, the same best epoch and the same final weights.
 */
public class ResumeTest {

    private static final int EPOCHS = 4;
    private static final int STEPS = 6;

    /** What a run ended with. */
    private record Outcome(List<PruningEpoch> history, Integer bestEpoch, Map<String, float[]> weights, int epochLines) {}

    @DataProvider
    public Object[][] finishes() {
        return new Object[][] {{0.0, 2}, {0.4, 2}, {0.4, 3}};
    }

    @Test(dataProvider = "finishes")
    public void resumedRunEqualsUninterruptedRun(double hardFinish, int stopAfter) throws Exception {
        Path uninterrupted = Files.createTempDirectory("resume-a");
        Outcome expected = run(uninterrupted, hardFinish, EPOCHS, false);
        Path stopped = Files.createTempDirectory("resume-b");
        run(stopped, hardFinish, stopAfter, false); // a run that "dies" after stopAfter epochs
        Assert.assertEquals(ResumePoint.read(stopped).epochsDone(), stopAfter);
        Outcome resumed = run(stopped, hardFinish, EPOCHS, true);

        Assert.assertEquals(resumed.history().size(), EPOCHS, "every epoch once");
        Assert.assertEquals(resumed.epochLines(), EPOCHS, "the epoch summaries continue the numbering");
        for (int e = 0; e < EPOCHS; e++) {
            PruningEpoch a = expected.history().get(e);
            PruningEpoch b = resumed.history().get(e);
            Assert.assertEquals(b.epoch(), a.epoch());
            Assert.assertEquals(b.kept(), a.kept(), "kept channels of epoch " + (e + 1));
            Assert.assertEquals(b.hardAccuracy(), a.hardAccuracy(), "hard accuracy of epoch " + (e + 1));
            Assert.assertEquals(b.softRatio(), a.softRatio(), 1e-6, "soft budget of epoch " + (e + 1));
            Assert.assertEquals(b.gamma(), a.gamma());
        }
        Assert.assertEquals(resumed.bestEpoch(), expected.bestEpoch());
        for (Map.Entry<String, float[]> entry : expected.weights().entrySet()) {
            Assert.assertEquals(resumed.weights().get(entry.getKey()), entry.getValue(), 1e-5f, entry.getKey());
        }
    }

    @Test
    public void resumeWithOtherSettingsIsRefusedNamingThem() throws Exception {
        Path folder = Files.createTempDirectory("resume-c");
        run(folder, 0, 1, false);
        ResumePoint point = ResumePoint.read(folder);
        Map<String, String> other = new LinkedHashMap<>(settings(0));
        other.put("budget", "flops=0.25");
        IllegalArgumentException e =
                Assert.expectThrows(IllegalArgumentException.class, () -> point.requireSettings(other));
        Assert.assertTrue(e.getMessage().contains("budget (checkpoint: flops=0.5, now: flops=0.25)"), e.getMessage());
        point.requireSettings(settings(0)); // the same settings pass
    }

    @Test
    public void emptyFolderHasNoResumePoint() throws Exception {
        Assert.assertNull(ResumePoint.read(Files.createTempDirectory("resume-d")));
    }

    private static Map<String, String> settings(double hardFinish) {
        return Map.of("budget", "flops=0.5", "hardFinish", Double.toString(hardFinish));
    }

    private static Outcome run(Path folder, double hardFinish, int epochs, boolean resume) throws Exception {
        try (NDManager manager = NDManager.newBaseManager();
                Model model = Model.newInstance("chain", Device.cpu(), "PyTorch")) {
            manager.getEngine().setRandomSeed(resume ? 99 : 3); // a resumed run must not depend on its own start
            float[][] prototypes = PrunerFixtures.prototypes(1);
            ArrayDataset train = PrunerFixtures.data(manager, 32 * STEPS, 2, prototypes, true);
            ArrayDataset validation = PrunerFixtures.data(manager, 64, 3, prototypes, false);
            GatedNetwork network = PrunerFixtures.gatedChain(manager, model);
            ChipNetLoss loss =
                    ChipNetLoss.builder().setNetwork(network).setBudget(new Budget(BudgetKind.FLOPS, 0.5)).build();
            Pruner pruner =
                    Pruner.builder()
                            .setNetwork(network, loss)
                            .setValidation(validation)
                            .setEpochs(EPOCHS)
                            .optStepsPerEpoch(STEPS)
                            .optHardFinish(hardFinish)
                            .optKeepSoftScale(true)
                            .build();
            ChipNetRecipe recipe = new ChipNetRecipe().optLearningRate(0.02f);
            DefaultTrainingConfig config = recipe.trainingConfig(network, loss, pruner, EPOCHS, Device.cpu());
            TrainingCheckpoint checkpoint =
                    TrainingCheckpoint.builder()
                            .setFolder(folder)
                            .optOptimizer((StatefulOptimizer) config.getOptimizer())
                            .addParticipant(pruner)
                            .addParticipant(recipe.getEpochSummaries())
                            .optSettings(settings(hardFinish))
                            .optSeed(11)
                            .build();
            config.addTrainingListeners(checkpoint);
            Map<String, float[]> weights = new LinkedHashMap<>();
            int done = 0;
            try (Trainer trainer = model.newTrainer(config)) {
                trainer.initialize(PrunerFixtures.INPUT);
                if (resume) {
                    ResumePoint point = ResumePoint.read(folder);
                    point.requireSettings(settings(hardFinish));
                    checkpoint.restore(point, trainer);
                    done = point.epochsDone();
                }
                EasyTrain.fit(trainer, epochs - done, train, validation);
            }
            for (Pair<String, Parameter> pair : model.getBlock().getParameters()) {
                weights.put(pair.getKey(), pair.getValue().getArray().toFloatArray());
            }
            return new Outcome(
                    pruner.getHistory(),
                    pruner.getBestPlan() == null ? null : pruner.getBestPlan().getEpoch(),
                    weights,
                    recipe.getEpochSummaries().getEpochs().size());
        }
    }
}
