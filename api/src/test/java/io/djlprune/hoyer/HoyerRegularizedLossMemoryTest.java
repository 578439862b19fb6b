package io.djlprune.hoyer;

import ai.djl.Device;
import ai.djl.Model;
import io.djlprune.graph.ChannelGraph;
import io.djlprune.testing.TrainingMemory;
import org.testng.annotations.DataProvider;
import org.testng.annotations.Test;

/**
 * Training with DeepHoyer's regularised loss, as {@code djl-prune prune --method group-hs|hs} and {@code sparsify}
 * train, holds a constant number of native arrays from step to step and from epoch to epoch: the regulariser reads
 * every weight each step, and an intermediate left on a parameter's manager (the model's) would live until the model
 * closes.
 */
public class HoyerRegularizedLossMemoryTest {

    @DataProvider
    public Object[][] variants() {
        return new Object[][] {{HoyerVariant.GROUP}, {HoyerVariant.ELEMENTWISE}};
    }

    @Test(dataProvider = "variants")
    public void liveArraysDoNotGrow(HoyerVariant variant) throws Exception {
        try (Model model = Model.newInstance("chain", Device.cpu(), "PyTorch")) {
            ChannelGraph graph = TrainingMemory.initialise(model);
            HoyerRegularizedLoss loss =
                    HoyerRegularizedLoss.builder().setGraph(graph).optVariant(variant).optAlpha(1e-3f).build();
            TrainingMemory.assertFlat(
                    "Hoyer " + variant, TrainingMemory.train(model, loss, TrainingMemory.adam()));
        }
    }
}
