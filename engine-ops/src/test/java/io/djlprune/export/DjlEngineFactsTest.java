package io.djlprune.export;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.pooling.Pool;
import io.djlprune.engine.Engines;
import org.testng.annotations.Test;

/**
 * Pins two behaviours of DJL 0.35's PyTorch engine that the export's op descriptions must follow (see
 * {@link Layers}): if DJL changes them, these fail and the classifier's rules need revisiting.
 */
public class DjlEngineFactsTest {

    @Test
    public void avgPoolIgnoresCountIncludePadFalse() {
        try (NDManager manager = NDManager.newBaseManager(Engines.PYTORCH)) {
            NDArray x = manager.randomNormal(new Shape(1, 2, 5, 5));
            Shape k = new Shape(3, 3);
            Shape s = new Shape(2, 2);
            Shape p = new Shape(1, 1);
            NDArray excluding = Pool.avgPool2d(x, k, s, p, false, false);
            NDArray including = Pool.avgPool2d(x, k, s, p, false, true);
            assertEquals(excluding.sub(including).abs().max().getFloat(), 0f);
            // The corner window covers 4 real values out of 9: the divisor is 9, padded zeros counted.
            float corner = x.get("0, 0, 0:2, 0:2").sum().getFloat() / 9f;
            assertEquals(excluding.getFloat(0, 0, 0, 0), corner, 1e-6f);
        }
    }

    @Test
    public void mishBlockUsesLogBaseTwo() {
        try (NDManager manager = NDManager.newBaseManager(Engines.PYTORCH)) {
            NDArray x = manager.create(new float[] {-2f, -0.5f, 0.5f, 2f});
            NDArray djl = Activation.mish(x);
            NDArray trueMish = x.mul(Activation.softPlus(x).tanh());
            NDArray logTwo = x.mul(x.exp().add(1).log2().tanh());
            assertTrue(djl.sub(logTwo).abs().max().getFloat() < 1e-6f);
            assertTrue(djl.sub(trueMish).abs().max().getFloat() > 1e-2f, "DJL's mish now equals true mish");
        }
    }
}
