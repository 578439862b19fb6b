package io.djlprune.compact;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.ParallelBlock;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.ConstantInitializer;
import ai.djl.util.PairList;
import io.djlprune.graph.ChannelGraph;
import io.djlprune.graph.ChannelMask;
import io.djlprune.ops.ActivationOp;
import io.djlprune.ops.Conv2dOp;
import io.djlprune.ops.JoinOp;
import io.djlprune.ops.JoinOp.Kind;
import io.djlprune.ops.Op;
import io.djlprune.ops.OpClassifier;
import io.djlprune.ops.UnsupportedBlockException;
import io.djlprune.testing.NamedOpClassifier;
import io.djlprune.testing.TestModels;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.testng.Assert;
import org.testng.annotations.Test;

/** What the compactor refuses, always naming where: unknown blocks, foreign graphs and masks, inexact removals. */
public class CompactorRefusalTest {

    private static final Shape INPUT = new Shape(1, 2, 6, 6);

    /** A SequentialBlock subclass may override forward; rebuilding it as a plain SequentialBlock would be a guess. */
    static final class CustomSequential extends SequentialBlock {}

    /** A leaf that computes a convolution through a child, described as a conv by a (too trusting) classifier. */
    static final class OpaqueConv extends AbstractBlock {
        private final Conv2d conv;

        OpaqueConv(Conv2d conv) {
            this.conv = addChildBlock("conv", conv);
        }

        @Override
        protected NDList forwardInternal(
                ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
            return conv.forward(store, inputs, training, params);
        }

        @Override
        public Shape[] getOutputShapes(Shape[] inputShapes) {
            return conv.getOutputShapes(inputShapes);
        }

        @Override
        public void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
            conv.initialize(manager, dataType, inputShapes);
        }
    }

    /** The test classifier plus descriptions of chosen block instances. */
    static final class DescribingClassifier implements OpClassifier {
        private final NamedOpClassifier base = new NamedOpClassifier();
        private final Map<Block, Op> described = new IdentityHashMap<>();

        <B extends Block> B describe(B block, Op op) {
            described.put(block, op);
            return block;
        }

        @Override
        public Op classify(Block block, Shape inputShape, String path) {
            Op op = described.get(block);
            return op != null ? op : base.classify(block, inputShape, path);
        }

        @Override
        public JoinOp classifyJoin(ParallelBlock block, Shape[] branchOutputShapes, String path) {
            return base.classifyJoin(block, branchOutputShapes, path);
        }
    }

    private static UnsupportedBlockException refusal(Block dense, OpClassifier classifier) {
        try (NDManager manager = NDManager.newBaseManager()) {
            dense.initialize(manager, DataType.FLOAT32, INPUT);
            ChannelGraph graph = ChannelGraph.builder().setInputShape(INPUT).setClassifier(classifier).build(dense);
            ChannelMask mask = CompactFixtures.randomMask(graph, 0.5, 1);
            Compactor compactor = Compactor.builder().setClassifier(classifier).build();
            return Assert.expectThrows(
                    UnsupportedBlockException.class, () -> compactor.compact(manager, dense, graph, mask));
        }
    }

    @Test
    public void sequentialSubclassIsRefusedByPathAndType() {
        Block custom = new CustomSequential().add(TestModels.conv(4, 3, 1, 1, true)).add(Activation.reluBlock());
        Block dense =
                new SequentialBlock()
                        .add(TestModels.conv(4, 3, 1, 1, true))
                        .add(Activation.reluBlock())
                        .add(custom)
                        .add(Blocks.batchFlattenBlock())
                        .add(Linear.builder().setUnits(2).build());
        UnsupportedBlockException e = refusal(dense, new NamedOpClassifier());
        Assert.assertEquals(e.getPath(), "03CustomSequential");
        Assert.assertEquals(e.getBlockType(), CustomSequential.class.getName());
        Assert.assertTrue(e.getMessage().contains("subclass of SequentialBlock"), e.getMessage());
    }

    @Test
    public void leafThatIsNotDjlConvIsRefusedByPathAndType() {
        DescribingClassifier classifier = new DescribingClassifier();
        OpaqueConv opaque =
                classifier.describe(
                        new OpaqueConv(TestModels.conv(3, 3, 1, 1, true)),
                        new Conv2dOp(4, 3, pair(3), pair(1), pair(1), pair(1), 1, true));
        Block dense =
                new SequentialBlock()
                        .add(TestModels.conv(4, 3, 1, 1, true))
                        .add(Activation.reluBlock())
                        .add(opaque)
                        .add(Blocks.batchFlattenBlock())
                        .add(Linear.builder().setUnits(2).build());
        UnsupportedBlockException e = refusal(dense, classifier);
        Assert.assertEquals(e.getPath(), "03OpaqueConv");
        Assert.assertEquals(e.getBlockType(), OpaqueConv.class.getName());
        Assert.assertTrue(e.getMessage().contains("only ai.djl.nn.convolutional.Conv2d itself"), e.getMessage());
    }

    private static int[] pair(int value) {
        return new int[] {value, value};
    }

    @Test
    public void statelessDescriptionOfABlockWithParametersIsRefused() {
        DescribingClassifier classifier = new DescribingClassifier();
        Block prelu =
                classifier.describe(Activation.preluBlock(), new ActivationOp(ActivationOp.Kind.LEAKY_RELU, 0.25f));
        prelu.setInitializer(new ConstantInitializer(0.25f), parameter -> true); // its slope is a scalar, not Xavier's
        Block dense =
                new SequentialBlock()
                        .add(TestModels.conv(4, 3, 1, 1, true))
                        .add(prelu)
                        .add(Blocks.batchFlattenBlock())
                        .add(Linear.builder().setUnits(2).build());
        UnsupportedBlockException e = refusal(dense, classifier);
        Assert.assertEquals(e.getPath(), "02Prelu");
        Assert.assertTrue(e.getMessage().contains("holds parameters"), e.getMessage());
    }

    /**
     * A residual add whose main branch ends in a conv with no BatchNorm of its own, next to a shortcut BatchNorm: the
     * gate rule finds a BatchNorm right after the conv in execution order (the shortcut's), so nothing zeroes the
     * conv's removed outputs. They reach the classifier varying, and compaction is refused instead of guessed.
     */
    @Test
    public void branchEndingInAConvWithoutBatchNormIsGatedAtTheConv() {
        NamedOpClassifier classifier = new NamedOpClassifier();
        Block main =
                new SequentialBlock()
                        .add(TestModels.conv(4, 3, 1, 1, false))
                        .add(BatchNorm.builder().build())
                        .add(Activation.reluBlock())
                        .add(TestModels.conv(4, 1, 1, 0, false));
        ParallelBlock add =
                classifier.declare(
                        new ParallelBlock(
                                list -> new NDList(NDArrays.add(list.get(0).head(), list.get(1).head())),
                                List.of(main, new SequentialBlock().add(BatchNorm.builder().build()))),
                        new JoinOp(Kind.ADD, 1));
        Block dense =
                CompactFixtures.convBnRelu(4, 3, 1)
                        .add(add)
                        .add(Activation.reluBlock())
                        .add(Pool.globalAvgPool2dBlock())
                        .add(Blocks.batchFlattenBlock())
                        .add(Linear.builder().setUnits(2).build());
        try (NDManager manager = NDManager.newBaseManager()) {
            ChannelGraph graph = CompactFixtures.prepare(dense, INPUT, classifier, manager, 3);
            ChannelMask mask = CompactFixtures.randomMask(graph, 0.5, 1);
            // The BatchNorm that runs next (on the shortcut) does not read the conv's output, so the conv itself is a
            // gate site: its removed channels are zero before the add, and compaction is exact.
            NDArray input = manager.randomNormal(CompactFixtures.batchOf(INPUT, 2));
            NDArray expected = CompactFixtures.hardMasked(dense, graph, mask, input);
            CompactionResult result = CompactFixtures.compact(classifier, manager, dense, graph, mask);
            CompactFixtures.mirrorJoins(classifier, dense, result.block());
            Assert.assertTrue(
                    CompactFixtures.maxAbsDiff(expected, CompactFixtures.infer(result.block(), input)) <= 1e-5);
        }
    }

    @Test
    public void graphOfAnotherNetworkIsRefused() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Shape input = new Shape(1, 1, 28, 28);
            NamedOpClassifier classifier = new NamedOpClassifier();
            ChannelGraph graph = CompactFixtures.prepare(TestModels.lenet5(), input, classifier, manager, 1);
            Block other = TestModels.lenet5();
            other.initialize(manager, DataType.FLOAT32, input);
            ChannelMask mask = CompactFixtures.randomMask(graph, 0.5, 1);
            IllegalArgumentException e =
                    Assert.expectThrows(
                            IllegalArgumentException.class,
                            () -> CompactFixtures.compact(classifier, manager, other, graph, mask));
            Assert.assertTrue(e.getMessage().contains("not built from this block"), e.getMessage());
            Assert.assertTrue(e.getMessage().contains("01Conv2d"), e.getMessage());
        }
    }

    @Test
    public void maskOfAnotherGraphIsRefused() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NamedOpClassifier classifier = new NamedOpClassifier();
            Block dense = TestModels.lenet5();
            ChannelGraph graph = CompactFixtures.prepare(dense, new Shape(1, 1, 28, 28), classifier, manager, 1);
            ChannelGraph vgg =
                    CompactFixtures.prepare(TestModels.vggChain(), new Shape(1, 3, 16, 16), classifier, manager, 1);
            ChannelMask foreign = CompactFixtures.randomMask(vgg, 0.5, 1);
            IllegalArgumentException e =
                    Assert.expectThrows(
                            IllegalArgumentException.class,
                            () -> CompactFixtures.compact(classifier, manager, dense, graph, foreign));
            Assert.assertTrue(e.getMessage().contains("groups"), e.getMessage());
        }
    }

    @Test
    public void builderNeedsTheClassifier() {
        IllegalArgumentException e =
                Assert.expectThrows(IllegalArgumentException.class, () -> Compactor.builder().build());
        Assert.assertTrue(e.getMessage().contains("OpClassifier"), e.getMessage());
    }
}
