package io.djlprune.chipnet;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.EasyTrain;
import ai.djl.training.ParameterStore;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.ArrayDataset;
import ai.djl.training.listener.TrainingListenerAdapter;
import ai.djl.util.Pair;
import io.djlprune.compact.CompactionResult;
import io.djlprune.compact.Compactor;
import io.djlprune.cost.Budget;
import io.djlprune.cost.BudgetKind;
import io.djlprune.gate.GateMode;
import io.djlprune.gate.GateSchedule;
import io.djlprune.graph.ChannelGraph;
import io.djlprune.mask.MaskPlan;
import io.djlprune.mask.MaskPlanJson;
import io.djlprune.testing.NamedOpClassifier;
import io.djlprune.testing.TestModels;
import io.djlprune.testing.TrainingMemory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.testng.Assert;
import org.testng.annotations.Test;

/** ChipNet end to end on a small learnable problem: the Pruner keeps the best hard-mask epoch and its weights. */
public class PrunerTest {

    static final Shape INPUT = new Shape(1, 1, 12, 12);

    static Block smallChain() {
        return TrainingMemory.smallChain();
    }

    /** Four random class prototypes of 12×12 pixels. */
    static float[][] prototypes(long seed) {
        Random random = new Random(seed);
        float[][] prototypes = new float[4][144];
        for (float[] prototype : prototypes) {
            for (int p = 0; p < 144; p++) {
                prototype[p] = (float) random.nextGaussian();
            }
        }
        return prototypes;
    }

    /** The small chain, initialised, gated through its channel graph, the gated block initialised too. */
    static GatedNetwork gatedChain(NDManager manager) {
        Block dense = smallChain();
        dense.initialize(manager, DataType.FLOAT32, INPUT);
        ChannelGraph graph =
                ChannelGraph.builder().setInputShape(INPUT).setClassifier(new NamedOpClassifier()).build(dense);
        GatedNetwork network = GatedNetwork.of(dense, graph);
        network.getBlock().initialize(manager, DataType.FLOAT32, INPUT);
        return network;
    }

    /** The small chain, initialised, gated through its channel graph, and set as the model's block. */
    static GatedNetwork gatedChain(NDManager manager, Model model) {
        Block dense = smallChain();
        dense.initialize(manager, DataType.FLOAT32, INPUT);
        ChannelGraph graph =
                ChannelGraph.builder().setInputShape(INPUT).setClassifier(new NamedOpClassifier()).build(dense);
        GatedNetwork network = GatedNetwork.of(dense, graph);
        model.setBlock(network.getBlock());
        return network;
    }

    static ArrayDataset data(NDManager manager, int size, long seed, float[][] prototypes, boolean shuffle) {
        Random random = new Random(seed);
        int pixels = 144;
        float[] x = new float[size * pixels];
        float[] y = new float[size];
        for (int i = 0; i < size; i++) {
            y[i] = i % 4;
            for (int p = 0; p < pixels; p++) {
                x[i * pixels + p] = prototypes[i % 4][p] + 0.8f * (float) random.nextGaussian();
            }
        }
        return new ArrayDataset.Builder()
                .setData(manager.create(x, new Shape(size, 1, 12, 12)))
                .optLabels(manager.create(y))
                .setSampling(32, shuffle)
                .build();
    }

    @Test
    public void keepsTheBestHardMaskEpochAndRestoresItsWeights() throws Exception {
        Path planFile = Files.createTempDirectory("pruner").resolve("plan.json");
        try (NDManager manager = NDManager.newBaseManager();
                Model model = Model.newInstance("chain", Device.cpu(), "PyTorch")) {
            manager.getEngine().setRandomSeed(3);
            float[][] prototypes = prototypes(1);
            ArrayDataset train = data(manager, 256, 2, prototypes, true);
            ArrayDataset validation = data(manager, 96, 3, prototypes, false);

            GatedNetwork network = gatedChain(manager, model);
            ChannelGraph graph = network.getGraph();
            Budget budget = new Budget(BudgetKind.FLOPS, 0.5);
            ChipNetLoss loss = ChipNetLoss.builder().setNetwork(network).setBudget(budget).build();
            int epochs = 4;
            Pruner pruner =
                    Pruner.builder()
                            .setNetwork(network, loss)
                            .setValidation(validation)
                            .setEpochs(epochs)
                            .optModelName("chain")
                            .optPlanFile(planFile)
                            .build();
            WeightRecorder recorder = new WeightRecorder();
            try (Trainer trainer =
                    model.newTrainer(
                            new ChipNetRecipe().optLearningRate(0.05f).trainingConfig(network, loss, pruner, epochs, Device.cpu())
                                    .addTrainingListeners(recorder))) {
                trainer.initialize(INPUT);
                float[] psiBefore = network.ownerOf(graph.prunableGroups().get(0).id()).getPsi().getArray().toFloatArray();
                EasyTrain.fit(trainer, epochs, train, validation);
                float[] psiAfter = network.ownerOf(graph.prunableGroups().get(0).id()).getPsi().getArray().toFloatArray();
                Assert.assertNotEquals(psiAfter, psiBefore, "ψ is trained");
            }
            // DJL calls onTrainingEnd when the trainer closes: that is when the best epoch is restored
            {

                List<PruningEpoch> history = pruner.getHistory();
                Assert.assertEquals(history.size(), epochs);
                int best = 0;
                for (int e = 1; e < history.size(); e++) {
                    if (history.get(e).hardAccuracy() > history.get(best).hardAccuracy()) {
                        best = e;
                    }
                }
                MaskPlan plan = pruner.getBestPlan();
                Assert.assertEquals(plan.getEpoch().intValue(), best + 1);
                Assert.assertEquals(plan.getValidationAccuracy(), history.get(best).hardAccuracy());
                for (PruningEpoch epoch : history) {
                    Assert.assertTrue(epoch.hardRatio() <= 0.5, "every hard mask meets the budget: " + epoch);
                }
                // the weights in the model now are those of the best epoch
                Map<String, float[]> expected = recorder.weights.get(best);
                for (Pair<String, Parameter> pair : model.getBlock().getParameters()) {
                    Assert.assertEquals(pair.getValue().getArray().toFloatArray(), expected.get(pair.getKey()), pair.getKey());
                }
                Assert.assertEquals(network.getController().getMode(), GateMode.HARD);
                MaskPlan saved = MaskPlanJson.load(planFile);
                Assert.assertEquals(saved.toMask(graph), pruner.getBestMask());
                Assert.assertEquals(saved.getEpoch(), plan.getEpoch());
            }
        }
    }

    @Test
    public void budgetTermPullsTheSoftCostToTheTarget() throws Exception {
        try (NDManager manager = NDManager.newBaseManager();
                Model model = Model.newInstance("chain", Device.cpu(), "PyTorch")) {
            manager.getEngine().setRandomSeed(5);
            float[][] prototypes = prototypes(9);
            GatedNetwork network = gatedChain(manager, model);
            ChipNetLoss loss =
                    ChipNetLoss.builder().setNetwork(network).setBudget(new Budget(BudgetKind.PARAMETERS, 0.3)).build();
            // a constant projection isolates the budget term from the annealing, which raises z by itself
            GateSchedule constant =
                    GateSchedule.builder().optBetaStep(0).optGammaFactor(1).optSteepnessStep(0).build();
            int epochs = 5;
            Pruner pruner =
                    Pruner.builder()
                            .setNetwork(network, loss)
                            .setValidation(data(manager, 64, 3, prototypes, false))
                            .setEpochs(epochs)
                            .optSchedule(constant)
                            .build();
            try (Trainer trainer =
                    model.newTrainer(
                            new ChipNetRecipe().optLearningRate(0.05f).trainingConfig(network, loss, pruner, epochs, Device.cpu()))) {
                trainer.initialize(INPUT);
                EasyTrain.fit(trainer, epochs, data(manager, 256, 2, prototypes, true), null);
            }
            List<PruningEpoch> history = pruner.getHistory();
            double first = Math.abs(history.get(0).softRatio() - 0.3);
            double last = Math.abs(history.get(epochs - 1).softRatio() - 0.3);
            Assert.assertTrue(last < first / 2, "soft cost moves to the target: " + first + " → " + last);
        }
    }

    @Test
    public void aNanMidRunStopsTrainingAndKeepsTheBestPlanOnDisk() throws Exception {
        Path planFile = Files.createTempDirectory("pruner-nan").resolve("plan.json");
        try (NDManager manager = NDManager.newBaseManager();
                Model model = Model.newInstance("chain", Device.cpu(), "PyTorch")) {
            float[][] prototypes = new float[4][144];
            GatedNetwork network = gatedChain(manager, model);
            ChannelGraph graph = network.getGraph();
            ChipNetLoss loss =
                    ChipNetLoss.builder().setNetwork(network).setBudget(new Budget(BudgetKind.CHANNELS, 0.5)).build();
            Pruner pruner =
                    Pruner.builder()
                            .setNetwork(network, loss)
                            .setValidation(data(manager, 32, 3, prototypes, false))
                            .setEpochs(3)
                            .optPlanFile(planFile)
                            .build();
            // after the first epoch a weight turns NaN, as an exploding run would
            TrainingListenerAdapter poison =
                    new TrainingListenerAdapter() {
                        @Override
                        public void onEpoch(Trainer trainer) {
                            graph.layers().get(0).block().getParameters().get("weight").getArray().set(
                                    new ai.djl.ndarray.index.NDIndex("0"), Float.NaN);
                        }
                    };
            try (Trainer trainer =
                    model.newTrainer(
                            new ChipNetRecipe().trainingConfig(network, loss, pruner, 3, Device.cpu())
                                    .addTrainingListeners(poison))) {
                trainer.initialize(INPUT);
                Assert.expectThrows(
                        ai.djl.TrainingDivergedException.class,
                        () -> EasyTrain.fit(trainer, 3, data(manager, 64, 2, prototypes, true), null));
            }
            Assert.assertEquals(pruner.getHistory().size(), 1);
            MaskPlan saved = MaskPlanJson.load(planFile);
            Assert.assertEquals(saved.getEpoch().intValue(), 1);
            Assert.assertTrue(saved.getAchievedRatio() <= 0.5);
        }
    }

    @Test
    public void hardFinishTrainsTheWeightsUnderTheMaskItFixed() throws Exception {
        try (NDManager manager = NDManager.newBaseManager();
                Model model = Model.newInstance("chain", Device.cpu(), "PyTorch")) {
            manager.getEngine().setRandomSeed(7);
            float[][] prototypes = prototypes(1);
            ArrayDataset train = data(manager, 256, 2, prototypes, true);
            ArrayDataset validation = data(manager, 96, 3, prototypes, false);
            GatedNetwork network = gatedChain(manager, model);
            ChipNetLoss loss =
                    ChipNetLoss.builder().setNetwork(network).setBudget(new Budget(BudgetKind.FLOPS, 0.4)).build();
            int epochs = 4;
            int steps = 256 / 32;
            Pruner pruner =
                    Pruner.builder()
                            .setNetwork(network, loss)
                            .setValidation(validation)
                            .setEpochs(epochs)
                            .optStepsPerEpoch(steps)
                            .optKeepSoftScale(true)
                            .optHardFinish(0.5)
                            .build();
            List<GateMode> modes = new ArrayList<>();
            TrainingListenerAdapter modeRecorder =
                    new TrainingListenerAdapter() {
                        @Override
                        public void onTrainingBatch(Trainer trainer, BatchData batchData) {
                            modes.add(network.getController().getMode());
                        }
                    };
            try (Trainer trainer =
                    model.newTrainer(
                            new ChipNetRecipe().optLearningRate(0.05f).trainingConfig(network, loss, pruner, epochs, Device.cpu())
                                    .addTrainingListeners(modeRecorder))) {
                trainer.initialize(INPUT);
                EasyTrain.fit(trainer, epochs, train, validation);
            }
            // Soft gates for the first half of the steps; from the step that fixes the mask on, the hard network.
            Assert.assertEquals(modes.size(), epochs * steps);
            for (int step = 0; step < modes.size(); step++) {
                Assert.assertEquals(modes.get(step), step < steps * 2 - 1 ? GateMode.SOFT : GateMode.HARD, "step " + step);
            }
            List<PruningEpoch> history = pruner.getHistory();
            Assert.assertEquals(history.get(2).kept(), history.get(1).kept());
            Assert.assertEquals(history.get(3).kept(), history.get(1).kept());
            // Whichever epoch won, the model left behind is the hard network, and compaction reproduces it.
            Assert.assertEquals(network.getController().getMode(), GateMode.HARD);
            NDArray x = manager.randomNormal(new Shape(5, 1, 12, 12));
            NDArray gated = model.getBlock().forward(new ParameterStore(manager, false), new NDList(x), false).head();
            CompactionResult compact =
                    Compactor.builder().setClassifier(new NamedOpClassifier()).build()
                            .compact(manager, network.getDenseBlock(), network.getGraph(), pruner.getBestMask());
            NDArray compacted = compact.block().forward(new ParameterStore(manager, false), new NDList(x), false).head();
            Assert.assertTrue(gated.sub(compacted).abs().max().getFloat() <= 1e-4f * Math.max(1f, gated.abs().max().getFloat()));
        }
    }

    @Test
    public void hardFinishNeedsTheRunLength() {
        try (NDManager manager = NDManager.newBaseManager();
                Model model = Model.newInstance("chain", Device.cpu(), "PyTorch")) {
            GatedNetwork network = gatedChain(manager, model);
            ChipNetLoss loss =
                    ChipNetLoss.builder().setNetwork(network).setBudget(new Budget(BudgetKind.FLOPS, 0.4)).build();
            Pruner.Builder builder =
                    Pruner.builder().setNetwork(network, loss).setValidation(data(manager, 8, 1, prototypes(1), false))
                            .optHardFinish(0.5);
            IllegalArgumentException e = Assert.expectThrows(IllegalArgumentException.class, builder::build);
            Assert.assertTrue(e.getMessage().contains("optStepsPerEpoch"), e.getMessage());
            Assert.expectThrows(IllegalArgumentException.class, () -> Pruner.builder().optHardFinish(1.0));
            Assert.expectThrows(IllegalArgumentException.class, () -> Pruner.builder().optHardFinish(-0.1));
        }
    }

    /** Records every parameter after each epoch (runs after the Pruner in the listener order). */
    private static final class WeightRecorder extends TrainingListenerAdapter {
        final List<Map<String, float[]>> weights = new ArrayList<>();

        @Override
        public void onEpoch(Trainer trainer) {
            Map<String, float[]> copy = new HashMap<>();
            for (Pair<String, Parameter> pair : trainer.getModel().getBlock().getParameters()) {
                NDArray array = pair.getValue().getArray();
                copy.put(pair.getKey(), array.toFloatArray());
            }
            weights.add(copy);
        }
    }
}
