package io.djlprune.criteria;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.training.loss.Loss;
import io.djlprune.graph.ChannelGraph;
import io.djlprune.testing.TrainingMemory;
import org.testng.annotations.Test;

/**
 * Training with Network Slimming's and group lasso's regularised losses, as {@code djl-prune prune --method
 * slimming|group-lasso} trains, holds a constant number of native arrays from step to step and from epoch to epoch:
 * the penalties read BatchNorm scales and weights each step, and an intermediate left on a parameter's manager (the
 * model's) would live until the model closes.
 */
public class RegularizedBaselinesMemoryTest {

    @Test
    public void slimmingDoesNotLeak() throws Exception {
        try (Model model = Model.newInstance("chain", Device.cpu(), "PyTorch")) {
            ChannelGraph graph = TrainingMemory.initialise(model);
            SlimmingRegularizedLoss loss = new SlimmingRegularizedLoss(graph, Loss.softmaxCrossEntropyLoss(), 1e-4f);
            TrainingMemory.assertFlat("slimming", TrainingMemory.train(model, loss, TrainingMemory.adam()));
        }
    }

    @Test
    public void groupLassoDoesNotLeak() throws Exception {
        try (Model model = Model.newInstance("chain", Device.cpu(), "PyTorch")) {
            ChannelGraph graph = TrainingMemory.initialise(model);
            Loss loss = new GroupLasso(graph).newLoss(Loss.softmaxCrossEntropyLoss(), 1e-4f);
            TrainingMemory.assertFlat("group lasso", TrainingMemory.train(model, loss, TrainingMemory.adam()));
        }
    }
}
