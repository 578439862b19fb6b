package io.djlprune.ops;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertNotNull;
import static org.testng.Assert.assertTrue;
import static org.testng.Assert.expectThrows;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.ParallelBlock;
import ai.djl.nn.SequentialBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import org.testng.annotations.Test;

/** What is not proven is refused, naming the block's path and type and what was observed. */
public class RefusalTest {

    private static final Shape INPUT = new Shape(2, 3, 4, 4);

    private final OpClassifier classifier = DjlOpClassifier.builder().optGlobalRules(false).build();

    @Test
    public void affineLambdaIsRefusedWithPathTypeAndObservedValues() {
        LambdaBlock affine = LambdaBlock.singleton(x -> x.mul(2).add(1), "scaleShift");
        UnsupportedBlockException e =
                expectThrows(UnsupportedBlockException.class, () -> classifier.classify(affine, INPUT, "04/head"));
        assertEquals(e.getPath(), "04/head");
        assertEquals(e.getBlockType(), LambdaBlock.class.getName());
        String message = e.getMessage();
        assertTrue(message.contains("'04/head'") && message.contains("ai.djl.nn.LambdaBlock"), message);
        assertTrue(message.contains("scaleShift"), message);
        assertTrue(message.contains("f(0.0)=1.0"), message);
        assertTrue(message.contains("changed 1 output element"), message);
        assertTrue(message.contains("OpRules.register"), message);
    }

    @Test
    public void channelMixingLambdaIsRefusedAsNotElementWise() {
        // Subtracting the mean over channels keeps the shape but couples every channel: pruning one changes others.
        LambdaBlock centre = LambdaBlock.singleton(x -> x.sub(x.mean(new int[] {1}, true)), "channelCentre");
        UnsupportedBlockException e =
                expectThrows(UnsupportedBlockException.class, () -> classifier.classify(centre, INPUT, "mix"));
        assertTrue(e.getMessage().contains("changed 3 output elements"), e.getMessage());
    }

    @Test
    public void lambdaThatFailsOnItsInputIsRefusedWithTheCause() {
        LambdaBlock failing =
                LambdaBlock.singleton(
                        x -> {
                            throw new IllegalStateException("boom");
                        },
                        "failing");
        UnsupportedBlockException e =
                expectThrows(UnsupportedBlockException.class, () -> classifier.classify(failing, INPUT, "bad"));
        assertNotNull(e.getCause());
        assertEquals(e.getCause().getMessage(), "boom");
    }

    @Test
    public void unknownShapeChangeIsRefused() {
        LambdaBlock transpose = LambdaBlock.singleton(x -> x.transpose(0, 2, 1, 3), "swapAxes");
        UnsupportedBlockException e =
                expectThrows(
                        UnsupportedBlockException.class,
                        () -> classifier.classify(transpose, new Shape(1, 3, 5, 5), "t"));
        assertTrue(e.getMessage().contains("maps (1, 3, 5, 5) to (1, 5, 3, 5)"), e.getMessage());
    }

    @Test
    public void customBlockClassIsRefused() {
        UnsupportedBlockException e =
                expectThrows(
                        UnsupportedBlockException.class,
                        () -> classifier.classify(new Doubler(), INPUT, "custom/doubler"));
        assertEquals(e.getBlockType(), Doubler.class.getName());
        assertEquals(e.getPath(), "custom/doubler");
    }

    @Test
    public void containersAreNotOps() {
        expectThrows(
                IllegalArgumentException.class,
                () -> classifier.classify(new SequentialBlock(), INPUT, "body"));
        expectThrows(
                IllegalArgumentException.class,
                () -> classifier.classify(new ParallelBlock(list -> list.get(0)), INPUT, "body"));
    }

    @Test
    public void unknownBatchSizeIsACallerError() {
        expectThrows(
                IllegalArgumentException.class,
                () -> classifier.classify(LambdaBlock.singleton(x -> x), new Shape(-1, 3, 4, 4), "x"));
    }

    /** A custom block no built-in rule covers. */
    static final class Doubler extends AbstractBlock {

        @Override
        protected NDList forwardInternal(
                ParameterStore parameterStore, NDList inputs, boolean training, PairList<String, Object> params) {
            return new NDList(inputs.singletonOrThrow().mul(2));
        }

        @Override
        public Shape[] getOutputShapes(Shape[] inputShapes) {
            return inputShapes;
        }
    }
}
