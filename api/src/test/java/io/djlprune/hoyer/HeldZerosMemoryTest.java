package io.djlprune.hoyer;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.training.loss.Loss;
import io.djlprune.graph.ChannelGraph;
import io.djlprune.testing.TrainingMemory;
import java.util.List;
import org.testng.Assert;
import org.testng.annotations.Test;

/**
 * Fine-tuning with the pruned weights held at zero, as {@code djl-prune sparsify} does it (masks from
 * {@link WeightPruner}, {@link HeldZeros} masking the gradients and checking the zeros every step, SGD with momentum),
 * holds a constant number of native arrays from step to step and from epoch to epoch.
 */
public class HeldZerosMemoryTest {

    @Test
    public void liveArraysDoNotGrow() throws Exception {
        try (Model model = Model.newInstance("chain", Device.cpu(), "PyTorch")) {
            ChannelGraph graph = TrainingMemory.initialise(model);
            WeightPruner pruner = new WeightPruner(graph);
            try (WeightMasks masks = pruner.prune(MagnitudeThreshold.stdMultiple(0.5f), model.getNDManager())) {
                Assert.assertTrue(
                        masks.getReport().totalNonzero() < masks.getReport().totalWeights(), "the cut zeroes weights");
                TrainingMemory.assertFlat(
                        "held zeros",
                        TrainingMemory.train(
                                model, Loss.softmaxCrossEntropyLoss(), TrainingMemory.sgd(), new HeldZeros(masks)));
                Assert.assertEquals(masks.revived(), List.of(), "the pruned weights stayed zero");
            }
        }
    }
}
