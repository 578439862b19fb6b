package io.djlprune.ops;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertFalse;
import static org.testng.Assert.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.pooling.Pool;
import java.util.List;
import org.testng.annotations.Test;

/** The Java output-size rule agrees with LibTorch, which the window search relies on. */
public class PoolWindowTest {

    @Test
    public void outputSizeMatchesLibTorchForEveryWindowUpToFive() {
        try (NDManager manager = NDManager.newBaseManager()) {
            for (int in = 1; in <= 9; in++) {
                for (int k = 1; k <= Math.min(5, in); k++) {
                    for (int p = 0; p <= k / 2; p++) {
                        for (int s = 1; s <= 4; s++) {
                            for (boolean ceil : new boolean[] {false, true}) {
                                long actual =
                                        Pool.maxPool2d(
                                                        manager.zeros(new Shape(1, 1, in, 1)),
                                                        new Shape(k, 1),
                                                        new Shape(s, 1),
                                                        new Shape(p, 0),
                                                        ceil)
                                                .getShape()
                                                .get(2);
                                PoolWindow window = new PoolWindow(k, s, p, ceil);
                                assertEquals(window.outputSize(in), actual, window + " on " + in);
                            }
                        }
                    }
                }
            }
        }
    }

    @Test
    public void ceilModeWithStrideOneNeverChangesSizes() {
        assertTrue(new PoolWindow(3, 1, 1, true).sameSizesEverywhere(new PoolWindow(3, 1, 1, false)));
    }

    @Test
    public void ceilModeWithStrideTwoChangesSomeSizes() {
        assertFalse(new PoolWindow(3, 2, 0, true).sameSizesEverywhere(new PoolWindow(3, 2, 0, false)));
    }

    @Test
    public void consistentWindowsIncludeTheTrueOne() {
        PoolWindow truth = new PoolWindow(3, 2, 1, false);
        long[] inputs = {16, 17, 18, 19, 33};
        long[] outputs = new long[inputs.length];
        for (int i = 0; i < inputs.length; i++) {
            outputs[i] = truth.outputSize(inputs[i]);
        }
        List<PoolWindow> windows = PoolWindow.consistentWith(inputs, outputs, 18, 18);
        assertTrue(windows.contains(truth), windows.toString());
        for (PoolWindow window : windows) {
            assertEquals(window.stride(), 2, window.toString());
        }
    }
}
