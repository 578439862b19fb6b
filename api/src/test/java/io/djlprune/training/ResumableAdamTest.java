package io.djlprune.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import io.djlprune.checkpoint.StatefulOptimizer;
import java.util.Map;
import java.util.Random;
import org.testng.Assert;
import org.testng.annotations.Test;

/** ResumableAdam updates as DJL's AdamW does, and a saved state loaded into a new optimiser continues identically. */
public class ResumableAdamTest {

    private static final int STEPS = 6;

    private static float[][] gradients() {
        Random random = new Random(7);
        float[][] grads = new float[STEPS][12];
        for (float[] g : grads) {
            for (int i = 0; i < g.length; i++) {
                g[i] = (float) random.nextGaussian();
            }
        }
        return grads;
    }

    private static float[] run(NDManager manager, Optimizer first, Optimizer second, int switchAt) {
        float[][] grads = gradients();
        NDArray weight = manager.arange(12f).reshape(3, 4).div(10f);
        Optimizer optimizer = first;
        for (int s = 0; s < STEPS; s++) {
            if (s == switchAt) {
                StatefulOptimizer saved = (StatefulOptimizer) first;
                try (NDManager scope = manager.newSubManager()) {
                    NDList state = saved.saveState(scope, Map.of("w", "the weight"));
                    // through bytes, as a checkpoint file carries it
                    NDList decoded = NDList.decode(scope, state.encode());
                    ((StatefulOptimizer) second).loadState(decoded, Map.of("the weight", "w"));
                }
                optimizer = second;
            }
            try (NDArray grad = manager.create(grads[s], new Shape(3, 4))) {
                optimizer.update("w", weight, grad);
            }
        }
        return weight.toFloatArray();
    }

    private static ResumableAdam resumable() {
        return ResumableAdam.builder().optLearningRateTracker(Tracker.fixed(0.05f)).optWeightDecays(0.01f).build();
    }

    @Test
    public void updatesAsDjlAdamW() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Optimizer djl = Optimizer.adamW().optLearningRateTracker(Tracker.fixed(0.05f)).optWeightDecays(0.01f).build();
            float[] expected = run(manager, djl, null, -1);
            float[] actual = run(manager, resumable(), null, -1);
            Assert.assertEquals(actual, expected, 1e-7f);
        }
    }

    @Test
    public void savedStateContinuesExactly() {
        try (NDManager manager = NDManager.newBaseManager()) {
            float[] uninterrupted = run(manager, resumable(), null, -1);
            float[] resumed = run(manager, resumable(), resumable(), 3);
            Assert.assertEquals(resumed, uninterrupted, 0f);
            // without the state the continuation differs: the test can tell
            ResumableAdam fresh = resumable();
            float[] restarted = runRestarted(manager, fresh);
            Assert.assertNotEquals(restarted, uninterrupted);
        }
    }

    private static float[] runRestarted(NDManager manager, ResumableAdam fresh) {
        float[][] grads = gradients();
        NDArray weight = manager.arange(12f).reshape(3, 4).div(10f);
        ResumableAdam first = resumable();
        for (int s = 0; s < STEPS; s++) {
            try (NDArray grad = manager.create(grads[s], new Shape(3, 4))) {
                (s < 3 ? first : fresh).update("w", weight, grad);
            }
        }
        return weight.toFloatArray();
    }

    @Test
    public void couplesDecayAsDjlAdamWhenAsked() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Optimizer djl = Optimizer.adam().optLearningRateTracker(Tracker.fixed(0.05f)).optWeightDecays(0.01f).build();
            ResumableAdam adam =
                    ResumableAdam.builder()
                            .optLearningRateTracker(Tracker.fixed(0.05f))
                            .optWeightDecays(0.01f)
                            .optDecoupledWeightDecay(false)
                            .build();
            Assert.assertEquals(run(manager, adam, null, -1), run(manager, djl, null, -1), 1e-7f);
        }
    }

    @Test
    public void sgdUpdatesAsDjlSgdAndResumesExactly() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Tracker cosine = Tracker.cosine().setBaseValue(0.1f).optFinalValue(0f).setMaxUpdates(STEPS).build();
            Optimizer djl = Optimizer.sgd().setLearningRateTracker(cosine).optMomentum(0.9f).optWeightDecays(1e-3f).build();
            float[] expected = run(manager, djl, null, -1);
            Assert.assertEquals(run(manager, sgd(cosine), null, -1), expected, 1e-7f);
            Assert.assertEquals(run(manager, sgd(cosine), sgd(cosine), 2), expected, 0f);
        }
    }

    private static ResumableSgd sgd(Tracker tracker) {
        return ResumableSgd.builder().setLearningRateTracker(tracker).optMomentum(0.9f).optWeightDecays(1e-3f).build();
    }

    @Test
    public void refusesStateOfAnUnknownParameter() {
        try (NDManager manager = NDManager.newBaseManager()) {
            ResumableAdam optimizer = resumable();
            NDArray weight = manager.ones(new Shape(2));
            optimizer.update("w", weight, manager.ones(new Shape(2)));
            NDList state = optimizer.saveState(manager, Map.of("w", "conv.weight"));
            IllegalArgumentException e =
                    Assert.expectThrows(
                            IllegalArgumentException.class,
                            () -> resumable().loadState(state, Map.of("other.weight", "x")));
            Assert.assertTrue(e.getMessage().contains("conv.weight"), e.getMessage());
        }
    }
}
