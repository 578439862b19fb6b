package io.djlprune.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.tracker.Tracker;
import java.util.Map;
import org.testng.Assert;
import org.testng.annotations.Test;

/**
 * GroupNormalizedAdam divides by one running scale per tensor, so elements keep their gradients' relative sizes
 * (element-wise Adam moves them all by about the learning rate), and its state resumes exactly.
 */
public class GroupNormalizedAdamTest {

    private static GroupNormalizedAdam adam() {
        return GroupNormalizedAdam.builder().optLearningRateTracker(Tracker.fixed(0.1f)).build();
    }

    @Test
    public void firstStepFollowsTheFormula() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray weight = manager.create(new float[] {1f, 1f, 1f});
            float[] g = {0.3f, 0.1f, -0.2f};
            adam().update("w", weight, manager.create(g));
            // t = 1: m̂ = g, v̂ = mean(g²), step = lr · g / (√v̂ + ε)
            double rms = Math.sqrt((0.09 + 0.01 + 0.04) / 3);
            float[] updated = weight.toFloatArray();
            for (int i = 0; i < 3; i++) {
                Assert.assertEquals(updated[i], 1 - 0.1 * g[i] / (rms + 1e-8), 1e-6, "element " + i);
            }
        }
    }

    @Test
    public void elementsKeepTheirRelativeGradientSizes() {
        try (NDManager manager = NDManager.newBaseManager()) {
            // a common push of 1 and a channel-specific part: 0, 0.1, 0.2, 0.3
            float[] g = {1f, 1.1f, 1.2f, 1.3f};
            NDArray grouped = manager.zeros(new ai.djl.ndarray.types.Shape(4));
            NDArray elementwise = manager.zeros(new ai.djl.ndarray.types.Shape(4));
            GroupNormalizedAdam group = adam();
            ResumableAdam perElement = ResumableAdam.builder().optLearningRateTracker(Tracker.fixed(0.1f)).optWeightDecays(0f).build();
            for (int s = 0; s < 50; s++) {
                group.update("w", grouped, manager.create(g));
                perElement.update("w", elementwise, manager.create(g));
            }
            float[] a = grouped.toFloatArray();
            float[] b = elementwise.toFloatArray();
            double groupedSpread = a[0] - a[3];
            double elementSpread = b[0] - b[3];
            Assert.assertTrue(groupedSpread > 1.0, "the channel-specific part separates the elements: " + groupedSpread);
            Assert.assertTrue(elementSpread < 0.01, "element-wise Adam moves them in lock-step: " + elementSpread);
        }
    }

    @Test
    public void savedStateContinuesExactly() {
        try (NDManager manager = NDManager.newBaseManager()) {
            float[][] grads = {{0.3f, -0.1f}, {0.2f, 0.4f}, {-0.5f, 0.1f}, {0.05f, 0.2f}};
            NDArray straight = manager.create(new float[] {1f, 2f});
            GroupNormalizedAdam one = adam();
            for (float[] g : grads) {
                one.update("w", straight, manager.create(g));
            }
            NDArray resumed = manager.create(new float[] {1f, 2f});
            GroupNormalizedAdam first = adam();
            first.update("w", resumed, manager.create(grads[0]));
            first.update("w", resumed, manager.create(grads[1]));
            GroupNormalizedAdam second = adam();
            try (NDManager scope = manager.newSubManager()) {
                NDList state = NDList.decode(scope, first.saveState(scope, Map.of("w", "psi")).encode());
                second.loadState(state, Map.of("psi", "w"));
            }
            second.update("w", resumed, manager.create(grads[2]));
            second.update("w", resumed, manager.create(grads[3]));
            Assert.assertEquals(resumed.toFloatArray(), straight.toFloatArray(), 0f);
        }
    }
}
