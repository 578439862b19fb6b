package io.djlprune.ops;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertTrue;
import static org.testng.Assert.expectThrows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.pooling.Pool;
import org.testng.annotations.Test;

/** DJL's pooling blocks are recognised by probing, with their window geometry inferred and verified. */
public class PoolClassificationTest {

    private final OpClassifier classifier = DjlOpClassifier.builder().optGlobalRules(false).build();

    private static Pool2dOp pool(PoolKind kind, int kh, int kw, int sh, int sw, int ph, int pw, boolean ceil) {
        return new Pool2dOp(kind, new int[] {kh, kw}, new int[] {sh, sw}, new int[] {ph, pw}, ceil, true);
    }

    @Test
    public void maxPoolWithKernelOnlyStridesByTheKernel() {
        Op op = classifier.classify(Pool.maxPool2dBlock(new Shape(2, 2)), new Shape(2, 3, 8, 8), "pool");
        assertEquals(op, pool(PoolKind.MAX, 2, 2, 2, 2, 0, 0, false));
    }

    @Test
    public void resNetStemMaxPoolIsThreeStrideTwoPadOne() {
        Op op =
                classifier.classify(
                        Pool.maxPool2dBlock(new Shape(3, 3), new Shape(2, 2), new Shape(1, 1)),
                        new Shape(1, 4, 16, 16),
                        "stem/pool");
        assertEquals(op, pool(PoolKind.MAX, 3, 3, 2, 2, 1, 1, false));
    }

    @Test
    public void sizePreservingMaxPoolIsAPoolNotAnActivation() {
        Op op =
                classifier.classify(
                        Pool.maxPool2dBlock(new Shape(3, 3), new Shape(1, 1), new Shape(1, 1)),
                        new Shape(1, 3, 6, 6),
                        "pool");
        assertEquals(op, pool(PoolKind.MAX, 3, 3, 1, 1, 1, 1, false));
    }

    @Test
    public void maxPoolInCeilModeIsSeenFromItsOutputSizes() {
        Op op =
                classifier.classify(
                        Pool.maxPool2dBlock(new Shape(3, 3), new Shape(2, 2), new Shape(0, 0), true),
                        new Shape(1, 2, 8, 8),
                        "pool");
        assertEquals(op, pool(PoolKind.MAX, 3, 3, 2, 2, 0, 0, true));
    }

    @Test
    public void nonSquareMaxPoolKeepsEachAxis() {
        Op op =
                classifier.classify(
                        Pool.maxPool2dBlock(new Shape(2, 3), new Shape(2, 1), new Shape(1, 0)),
                        new Shape(2, 3, 7, 9),
                        "pool");
        assertEquals(op, pool(PoolKind.MAX, 2, 3, 2, 1, 1, 0, false));
    }

    @Test
    public void avgPoolWithKernelOnlyStridesByTheKernel() {
        Op op = classifier.classify(Pool.avgPool2dBlock(new Shape(2, 2)), new Shape(2, 3, 8, 8), "pool");
        assertEquals(op, pool(PoolKind.AVG, 2, 2, 2, 2, 0, 0, false));
    }

    @Test
    public void paddedAvgPoolCountsThePadding() {
        Op op =
                classifier.classify(
                        Pool.avgPool2dBlock(new Shape(3, 3), new Shape(2, 2), new Shape(1, 1)),
                        new Shape(1, 3, 9, 9),
                        "pool");
        assertEquals(op, pool(PoolKind.AVG, 3, 3, 2, 2, 1, 1, false));
    }

    @Test
    public void avgPoolAskedToExcludePaddingStillCountsItOnPyTorch() {
        // DJL 0.35's PyTorch JNI drops countIncludePad: the block really counts the padding, and the probe reports
        // what the block computes, not what it was configured with. If DJL fixes this, this test fails and the
        // probe reports countIncludePad=false instead, which is then the truth.
        Op op =
                classifier.classify(
                        Pool.avgPool2dBlock(new Shape(3, 3), new Shape(1, 1), new Shape(1, 1), false, false),
                        new Shape(1, 2, 6, 6),
                        "pool");
        assertEquals(op, pool(PoolKind.AVG, 3, 3, 1, 1, 1, 1, false));
    }

    @Test
    public void avgPoolThatExcludesPaddingIsRecognised() {
        // A user lambda computing the exclude-pad mean: sum of the real elements over their count.
        LambdaBlock excludePad =
                LambdaBlock.singleton(
                        x -> {
                            Shape k = new Shape(3, 3);
                            Shape s = new Shape(2, 2);
                            Shape p = new Shape(1, 1);
                            NDArray counted = Pool.avgPool2d(x, k, s, p, false, true);
                            return counted.div(Pool.avgPool2d(x.onesLike(), k, s, p, false, true));
                        },
                        "avgExcludePad");
        Op op = classifier.classify(excludePad, new Shape(1, 3, 8, 8), "pool");
        assertEquals(
                op,
                new Pool2dOp(PoolKind.AVG, new int[] {3, 3}, new int[] {2, 2}, new int[] {1, 1}, false, false));
    }

    @Test
    public void globalAvgPoolIsGlobalAverage() {
        Op op = classifier.classify(Pool.globalAvgPool2dBlock(), new Shape(2, 8, 7, 7), "gap");
        assertEquals(op, new GlobalPoolOp(PoolKind.AVG));
    }

    @Test
    public void globalMaxPoolIsGlobalMax() {
        Op op = classifier.classify(Pool.globalMaxPool2dBlock(), new Shape(2, 8, 5, 6), "gmp");
        assertEquals(op, new GlobalPoolOp(PoolKind.MAX));
    }

    @Test
    public void windowCoveringTheWholeMapIsNotMistakenForGlobalPooling() {
        // On a 4×4 map a 4×4 max pool gives (N, C, 1, 1) like a global pool, but larger inputs tell them apart.
        Op op = classifier.classify(Pool.maxPool2dBlock(new Shape(4, 4)), new Shape(1, 3, 4, 4), "pool");
        assertEquals(op, pool(PoolKind.MAX, 4, 4, 4, 4, 0, 0, false));
    }

    @Test
    public void oneByOneAverageWithStrideIsTheSameSubsamplingAsMax() {
        // A 1×1 window holds one element: its mean is its maximum, so the two are one op, spelled as max.
        Op op =
                classifier.classify(
                        Pool.avgPool2dBlock(new Shape(1, 1), new Shape(2, 2)), new Shape(1, 3, 8, 8), "subsample");
        assertEquals(op, pool(PoolKind.MAX, 1, 1, 2, 2, 0, 0, false));
    }

    @Test
    public void lpPoolIsRefusedWithTheObservedSizes() {
        // DJL's lpPool2dBlock(norm, kernel) strides by 1: 8×8 becomes 7×7, like a 2×2 max or average pool would.
        UnsupportedBlockException e =
                expectThrows(
                        UnsupportedBlockException.class,
                        () ->
                                classifier.classify(
                                        Pool.lpPool2dBlock(2f, new Shape(2, 2)), new Shape(1, 3, 8, 8), "lp"));
        assertEquals(e.getPath(), "lp");
        assertTrue(e.getMessage().contains("height 8→7"), e.getMessage());
    }
}
