package io.djlprune.ops;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.expectThrows;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Blocks;
import ai.djl.nn.LambdaBlock;
import org.testng.annotations.Test;

/** Flattening lambdas are recognised by their shape change and verified element for element. */
public class FlattenClassificationTest {

    private final OpClassifier classifier = DjlOpClassifier.builder().optGlobalRules(false).build();

    @Test
    public void batchFlattenBlockIsFlatten() {
        assertEquals(classifier.classify(Blocks.batchFlattenBlock(), new Shape(2, 3, 4, 5), "flat"), new FlattenOp());
    }

    @Test
    public void batchFlattenOfAOneByOneMapIsFlattenNotGlobalPooling() {
        // (N, C, 1, 1) → (N, C) is also what a global pool gives; probing larger maps tells them apart.
        assertEquals(classifier.classify(Blocks.batchFlattenBlock(), new Shape(2, 6, 1, 1), "flat"), new FlattenOp());
    }

    @Test
    public void batchFlattenOfAMatrixIsTheIdentity() {
        assertEquals(classifier.classify(Blocks.batchFlattenBlock(), new Shape(2, 9), "flat"), new IdentityOp());
    }

    @Test
    public void flattenThatReordersElementsIsRefused() {
        // Same output shape as a flatten, but channels-last order: channel c no longer owns a contiguous block.
        LambdaBlock channelsLast =
                LambdaBlock.singleton(x -> x.transpose(0, 2, 3, 1).reshape(x.getShape().get(0), -1), "nhwcFlatten");
        UnsupportedBlockException e =
                expectThrows(
                        UnsupportedBlockException.class,
                        () -> classifier.classify(channelsLast, new Shape(2, 3, 4, 5), "head/flat"));
        assertEquals(e.getPath(), "head/flat");
    }
}
