package io.djlprune.ops;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertTrue;
import static org.testng.Assert.expectThrows;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.norm.Dropout;
import ai.djl.nn.norm.GhostBatchNorm;
import io.djlprune.nn.AdaptiveAvgPool2d;
import org.testng.annotations.Test;

/** DJL's concrete layers are described from their getters, private fields and the input shape. */
public class LayerClassificationTest {

    private final OpClassifier classifier = DjlOpClassifier.builder().optGlobalRules(false).build();

    private Op classifyInitialised(Block block, Shape input) {
        try (NDManager manager = NDManager.newBaseManager()) {
            block.initialize(manager, DataType.FLOAT32, input);
            return classifier.classify(block, input, "layer");
        }
    }

    @Test
    public void groupedConvolutionTakesInChannelsFromTheInput() {
        Conv2d conv =
                Conv2d.builder()
                        .setKernelShape(new Shape(3, 5))
                        .setFilters(8)
                        .optStride(new Shape(2, 1))
                        .optPadding(new Shape(1, 2))
                        .optDilation(new Shape(1, 2))
                        .optGroups(2)
                        .optBias(false)
                        .build();
        Op op = classifyInitialised(conv, new Shape(1, 6, 12, 12));
        assertEquals(
                op,
                new Conv2dOp(6, 8, new int[] {3, 5}, new int[] {2, 1}, new int[] {1, 2}, new int[] {1, 2}, 2, false));
    }

    @Test
    public void depthwiseConvolutionIsDepthwise() {
        Conv2d conv =
                Conv2d.builder().setKernelShape(new Shape(3, 3)).setFilters(4).optGroups(4).optBias(true).build();
        Conv2dOp op = (Conv2dOp) classifyInitialised(conv, new Shape(2, 4, 5, 5));
        assertTrue(op.isDepthwise());
        assertTrue(op.bias());
    }

    @Test
    public void batchNormConfigurationIsReadExactly() {
        BatchNorm bn = BatchNorm.builder().optEpsilon(2e-5f).optMomentum(0.8f).optCenter(false).build();
        Op op = classifyInitialised(bn, new Shape(2, 5, 3, 3));
        assertEquals(op, new BatchNormOp(5, 2e-5f, 0.8f, false, true));
    }

    @Test
    public void adaptiveAveragePoolingIsDescribedByItsOutputSize() {
        Block pool = AdaptiveAvgPool2d.builder().setOutputSize(7, 5).build();
        assertEquals(classifyInitialised(pool, new Shape(2, 8, 3, 3)), new AdaptiveAvgPool2dOp(7, 5));
        UnsupportedBlockException e = expectThrows(
                UnsupportedBlockException.class, () -> classifier.classify(pool, new Shape(2, 8), "pool"));
        assertTrue(e.getMessage().contains("NCHW"), e.getMessage());
    }

    @Test
    public void batchNormOverAnotherAxisIsRefused() {
        BatchNorm bn = BatchNorm.builder().optAxis(3).build();
        UnsupportedBlockException e =
                expectThrows(UnsupportedBlockException.class, () -> classifyInitialised(bn, new Shape(2, 5, 3, 4)));
        assertTrue(e.getMessage().contains("axis 3"), e.getMessage());
    }

    @Test
    public void ghostBatchNormIsRefusedBecauseSubclassesMayComputeOtherwise() {
        GhostBatchNorm ghost = GhostBatchNorm.builder().build();
        UnsupportedBlockException e =
                expectThrows(UnsupportedBlockException.class, () -> classifyInitialised(ghost, new Shape(4, 5)));
        assertEquals(e.getBlockType(), GhostBatchNorm.class.getName());
    }

    @Test
    public void linearWithoutBiasKeepsItsSizes() {
        Op op = classifyInitialised(Linear.builder().setUnits(7).optBias(false).build(), new Shape(3, 12));
        assertEquals(op, new LinearOp(12, 7, false));
    }

    @Test
    public void linearWithBiasHasBias() {
        Op op = classifyInitialised(Linear.builder().setUnits(10).build(), new Shape(1, 20));
        assertEquals(op, new LinearOp(20, 10, true));
    }

    @Test
    public void linearOnAFeatureMapIsRefused() {
        // DJL's Linear would act on the width axis here, which is not what LinearOp describes.
        UnsupportedBlockException e =
                expectThrows(
                        UnsupportedBlockException.class,
                        () -> classifyInitialised(Linear.builder().setUnits(3).build(), new Shape(1, 2, 4, 4)));
        assertTrue(e.getMessage().contains("(N, features)"), e.getMessage());
    }

    @Test
    public void dropoutRateIsReadExactly() {
        Op op = classifyInitialised(Dropout.builder().optRate(0.35f).build(), new Shape(2, 16));
        assertEquals(op, new DropoutOp(0.35f));
    }
}
