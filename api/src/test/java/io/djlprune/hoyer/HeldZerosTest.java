package io.djlprune.hoyer;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertTrue;
import static org.testng.Assert.expectThrows;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.EasyTrain;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.ArrayDataset;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import ai.djl.translate.TranslateException;
import io.djlprune.graph.ChannelGraph;
import io.djlprune.testing.NamedOpClassifier;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.testng.annotations.Test;

/** Pruned weights stay exactly zero through real training steps; without the listener they come back. */
public class HeldZerosTest {

    private static final Supplier<Optimizer> ADAM =
            () -> Optimizer.adam().optLearningRateTracker(Tracker.fixed(0.01f)).optWeightDecays(1e-3f).build();
    private static final Supplier<Optimizer> SGD_MOMENTUM =
            () ->
                    Optimizer.sgd()
                            .setLearningRateTracker(Tracker.fixed(0.05f))
                            .optMomentum(0.9f)
                            .optWeightDecays(1e-3f)
                            .build();

    @Test
    public void zerosStayExactlyZeroWithAdamAndSgdMomentum() throws Exception {
        for (Supplier<Optimizer> optimizer : List.of(ADAM, SGD_MOMENTUM)) {
            Outcome held = fineTune(optimizer.get(), true, null);
            assertEquals(held.revivedEntries, 0, "pruned weights must stay exactly zero");
            assertTrue(held.prunedEntries > 100, "pruned " + held.prunedEntries);
            assertTrue(held.changedKeptEntries > held.keptEntries / 2, "the kept weights trained");

            // the same run without the listener: the gradient and the optimiser revive the zeros
            Outcome free = fineTune(optimizer.get(), false, null);
            assertTrue(free.revivedEntries > free.prunedEntries / 2, "revived " + free.revivedEntries);
        }
    }

    @Test
    public void anOptimiserWithMomentumFromBeforePruningIsCaught() {
        Optimizer reused = SGD_MOMENTUM.get();
        IllegalStateException e =
                expectThrows(IllegalStateException.class, () -> fineTune(reused, true, reused));
        assertTrue(e.getMessage().contains("no longer zero") && e.getMessage().contains("new optimiser"), e.getMessage());
    }

    @Test
    public void refusesMissingMasks() {
        expectThrows(IllegalArgumentException.class, () -> new HeldZeros(null));
    }

    /** Prunes the small chain at half a std per tensor and fine-tunes it; optionally trains with a first optimiser. */
    private static Outcome fineTune(Optimizer optimizer, boolean hold, Optimizer pretrainWith)
            throws IOException, TranslateException {
        Engine.getInstance().setRandomSeed(23);
        Block block = Fixtures.smallChain();
        try (Model model = Model.newInstance("held");
                NDManager manager = NDManager.newBaseManager()) {
            ChannelGraph graph =
                    Fixtures.graph(
                            block, Fixtures.SMALL_INPUT, new NamedOpClassifier(), model.getNDManager(),
                            DataType.FLOAT32);
            model.setBlock(block);
            NDArray x = manager.randomNormal(new Shape(32, 2, 4, 4));
            NDArray y = manager.randomInteger(0, 3, new Shape(32), DataType.INT32);
            ArrayDataset data = new ArrayDataset.Builder().setData(x).optLabels(y).setSampling(8, true).build();
            if (pretrainWith != null) {
                try (Trainer trainer = model.newTrainer(config(pretrainWith))) {
                    EasyTrain.fit(trainer, 1, data, null);
                }
            }
            try (WeightMasks masks = new WeightPruner(graph).prune(MagnitudeThreshold.stdMultiple(0.5f), manager)) {
                Map<String, float[]> pruned = new LinkedHashMap<>();
                for (LayerWeight w : LayerWeight.of(graph)) {
                    pruned.put(w.name(), w.parameter().getArray().toFloatArray());
                }
                DefaultTrainingConfig config = config(optimizer);
                if (hold) {
                    config.addTrainingListeners(new HeldZeros(masks));
                }
                try (Trainer trainer = model.newTrainer(config)) {
                    EasyTrain.fit(trainer, 2, data, null);
                }
                Outcome outcome = new Outcome();
                for (LayerWeight w : LayerWeight.of(graph)) {
                    float[] before = pruned.get(w.name());
                    float[] after = w.parameter().getArray().toFloatArray();
                    float[] mask = masks.masks().get(w.name()).toFloatArray();
                    for (int i = 0; i < after.length; i++) {
                        if (mask[i] == 0f) {
                            assertEquals(before[i], 0f, "pruning zeroed " + w.name() + "[" + i + "]");
                            outcome.prunedEntries++;
                            outcome.revivedEntries += after[i] != 0f ? 1 : 0;
                        } else {
                            outcome.keptEntries++;
                            outcome.changedKeptEntries += after[i] != before[i] ? 1 : 0;
                        }
                    }
                }
                return outcome;
            }
        }
    }

    private static DefaultTrainingConfig config(Optimizer optimizer) {
        return new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
                .optOptimizer(optimizer)
                .optDevices(new Device[] {Device.cpu()});
    }

    /** Entry counts after fine-tuning. */
    private static final class Outcome {
        long prunedEntries;
        long revivedEntries;
        long keptEntries;
        long changedKeptEntries;
    }
}
