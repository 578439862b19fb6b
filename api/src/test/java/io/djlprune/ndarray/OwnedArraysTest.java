package io.djlprune.ndarray;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import io.djlprune.testing.FreedBuffers;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.function.UnaryOperator;
import org.testng.Assert;
import org.testng.annotations.Test;

/** Constants made here stay valid for the backward pass even when the JVM collects garbage in between. */
public class OwnedArraysTest {

    private static final int ROUNDS = 30;

    @Test
    public void productGradientSurvivesACollectionBeforeBackward() {
        // With DJL's own x.mul(3f) this gradient was wrong in most rounds (freed scalar memory read as NaN).
        float[] gradient = gradientAfterCollection(x -> OwnedArrays.times(x, 3), new float[] {1, -2, 5, 0});
        Assert.assertEquals(gradient, new float[] {3, 3, 3, 3});
    }

    @Test
    public void lowerBoundGradientSurvivesACollectionBeforeBackward() {
        float[] gradient = gradientAfterCollection(x -> OwnedArrays.atLeast(x, 0.5), new float[] {1, -2, 5, 0});
        Assert.assertEquals(gradient, new float[] {1, 0, 1, 0});
    }

    @Test
    public void scalarsKeepTheirValueTypeAndDevice() {
        try (NDManager manager = NDManager.newBaseManager()) {
            double big = 9007199254740991.0; // 2^53 − 1: exact only in float64
            NDArray exact = OwnedArrays.scalar(manager, big, DataType.FLOAT64);
            Assert.assertEquals(exact.getDouble(), big);
            Assert.assertEquals(exact.getShape(), new Shape());
            NDArray like = manager.zeros(new Shape(2), DataType.FLOAT32);
            NDArray single = OwnedArrays.scalar(like, 0.25);
            Assert.assertEquals(single.getDataType(), DataType.FLOAT32);
            Assert.assertEquals(single.getDevice(), like.getDevice());
            Assert.assertEquals(single.getFloat(), 0.25f);
        }
    }

    @Test
    public void ownedCopyOutlivesTheArrayItReplaces() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray borrowed = manager.create(new float[] {1, 2, 3});
            NDArray owned = OwnedArrays.owned(borrowed);
            Assert.assertTrue(borrowed.isReleased(), "the borrowed array is closed");
            borrowed = null;
            List<ByteBuffer> refill = FreedBuffers.collectAndFillWithNaN();
            Assert.assertEquals(owned.toFloatArray(), new float[] {1, 2, 3});
            Assert.assertFalse(refill.isEmpty());
        }
    }

    private static float[] gradientAfterCollection(UnaryOperator<NDArray> f, float[] values) {
        float[] gradient = null;
        try (NDManager manager = NDManager.newBaseManager()) {
            for (int round = 0; round < ROUNDS; round++) {
                try (NDManager step = manager.newSubManager()) {
                    NDArray x = step.zeros(new Shape(values.length));
                    x.set(values);
                    x.setRequiresGradient(true);
                    try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                        NDArray y = f.apply(x).sum();
                        List<ByteBuffer> refill = FreedBuffers.collectAndFillWithNaN();
                        collector.backward(y);
                        Assert.assertFalse(refill.isEmpty());
                    }
                    float[] g = x.getGradient().toFloatArray();
                    if (gradient != null) {
                        Assert.assertEquals(g, gradient, "round " + round);
                    }
                    gradient = g;
                }
            }
        }
        return gradient;
    }
}
