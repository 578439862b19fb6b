package io.djlprune.nn;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertSame;
import static org.testng.Assert.assertTrue;
import static org.testng.Assert.expectThrows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import org.testng.annotations.Test;

/**
 * PyTorch's adaptive bins worked by hand on small maps; the comparison with LibTorch's own
 * {@code adaptive_avg_pool2d} for many sizes is in engine-ops' export round trips.
 */
public class AdaptiveAvgPool2dTest {

    @Test
    public void binsFollowPyTorchsFloorAndCeilBounds() {
        // 3 → 2: bins [0, 2) and [1, 3) overlap in the middle
        assertEquals(AdaptiveAvgPool2d.averagingMatrix(2, 3), new float[] {0.5f, 0.5f, 0, 0, 0.5f, 0.5f});
        // 2 → 3: bins [0, 1), [0, 2), [1, 2)
        assertEquals(AdaptiveAvgPool2d.averagingMatrix(3, 2), new float[] {1, 0, 0.5f, 0.5f, 0, 1});
        // 4 → 2 tiles
        assertEquals(AdaptiveAvgPool2d.averagingMatrix(2, 4), new float[] {0.5f, 0.5f, 0, 0, 0, 0, 0.5f, 0.5f});
    }

    @Test
    public void poolsEachChannelsMapToTheOutputSize() {
        AdaptiveAvgPool2d pool = AdaptiveAvgPool2d.builder().setOutputSize(2, 3).build();
        try (NDManager manager = NDManager.newBaseManager()) {
            pool.initialize(manager, DataType.FLOAT32, new Shape(1, 2, 3, 2));
            // channel 0 counts 0..5 row by row, channel 1 is channel 0 times 10
            NDArray x = manager.arange(0f, 6f).reshape(1, 1, 3, 2);
            x = x.concat(x.mul(10), 1);
            NDArray y = pool.forward(new ParameterStore(manager, false), new NDList(x), false).singletonOrThrow();
            assertEquals(y.getShape(), new Shape(1, 2, 2, 3));
            // rows {0,1} and {1,2}; columns {0}, {0,1}, {1}
            float[] channel0 = {1, 1.5f, 2, 3, 3.5f, 4};
            float[] expected = new float[12];
            for (int i = 0; i < 6; i++) {
                expected[i] = channel0[i];
                expected[6 + i] = 10 * channel0[i];
            }
            float[] actual = y.toFloatArray();
            for (int i = 0; i < 12; i++) {
                assertEquals(actual[i], expected[i], 1e-5f, "element " + i);
            }
            assertEquals(pool.getOutputShapes(new Shape[] {new Shape(4, 2, 3, 2)})[0], new Shape(4, 2, 2, 3));
        }
    }

    @Test
    public void gradientFlowsBackThroughTheBins() {
        AdaptiveAvgPool2d pool = AdaptiveAvgPool2d.builder().setOutputSize(2, 3).build();
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray x = manager.randomNormal(new Shape(1, 1, 3, 2));
            x.setRequiresGradient(true);
            pool.initialize(manager, DataType.FLOAT32, x.getShape());
            try (GradientCollector collector = manager.getEngine().newGradientCollector()) {
                NDArray y = pool.forward(new ParameterStore(manager, false), new NDList(x), true).singletonOrThrow();
                collector.backward(y.sum());
            }
            // d(Σ y)/dx[h][w] = (Σ_i R[i][h]) · (Σ_j C[j][w]) = {½, 1, ½}[h] · {3/2, 3/2}[w]
            assertEquals(x.getGradient().toFloatArray(), new float[] {0.75f, 0.75f, 1.5f, 1.5f, 0.75f, 0.75f});
        }
    }

    @Test
    public void mapOfTheOutputSizeIsReturnedUnchanged() {
        AdaptiveAvgPool2d pool = AdaptiveAvgPool2d.builder().setOutputSize(7, 7).build();
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray x = manager.randomNormal(new Shape(2, 3, 7, 7));
            pool.initialize(manager, DataType.FLOAT32, x.getShape());
            assertSame(pool.forward(new ParameterStore(manager, false), new NDList(x), false).singletonOrThrow(), x);
        }
    }

    @Test
    public void emptyMapsAndBadSizesAreRefusedWithTheReason() {
        AdaptiveAvgPool2d pool = AdaptiveAvgPool2d.builder().setOutputSize(7, 7).build();
        IllegalArgumentException e = expectThrows(
                IllegalArgumentException.class, () -> pool.getOutputShapes(new Shape[] {new Shape(1, 512, 0, 0)}));
        assertTrue(e.getMessage().contains("empty map") && e.getMessage().contains("larger input"), e.getMessage());
        e = expectThrows(IllegalArgumentException.class, () -> pool.getOutputShapes(new Shape[] {new Shape(1, 512)}));
        assertTrue(e.getMessage().contains("NCHW"), e.getMessage());
        e = expectThrows(IllegalArgumentException.class, () -> AdaptiveAvgPool2d.builder().build());
        assertTrue(e.getMessage().contains("setOutputSize"), e.getMessage());
    }
}
