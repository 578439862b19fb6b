package io.djlprune.graph;

import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.ParallelBlock;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import io.djlprune.ops.JoinOp;
import io.djlprune.ops.UnsupportedBlockException;
import io.djlprune.testing.NamedOpClassifier;
import io.djlprune.testing.TestModels;
import java.util.Arrays;
import java.util.List;
import org.testng.Assert;
import org.testng.annotations.Test;

/** Channel groups of chains, residual adds, concatenations, flatten→linear, and what the walk refuses. */
public class ChannelGraphTest {

    static ChannelGraph graph(Block block, Shape input, NamedOpClassifier classifier, NDManager manager) {
        block.initialize(manager, DataType.FLOAT32, input);
        return ChannelGraph.builder().setInputShape(input).setClassifier(classifier).build(block);
    }

    @Test
    public void lenetHasThreePrunableGroupsAndFlattenWidensConv2() {
        try (NDManager manager = NDManager.newBaseManager()) {
            ChannelGraph graph = graph(TestModels.lenet5(), new Shape(1, 1, 28, 28), new NamedOpClassifier(), manager);
            List<Integer> sizes = graph.prunableGroups().stream().map(ChannelGroup::size).toList();
            Assert.assertEquals(sizes, List.of(20, 50, 500));
            Assert.assertEquals(graph.groups().size(), 5, graph.describe());
            Assert.assertEquals(graph.group(0).fixedReason(), "network input");
            Assert.assertEquals(graph.group(4).fixedReason(), "network output");
            ChannelGroup conv2 = graph.prunableGroups().get(1);
            LayerNode fc1 = conv2.consumers().get(0);
            Assert.assertEquals(fc1.input().segments().get(0).multiplier(), 16, "50 channels × 4×4 = 800 features");
            Assert.assertTrue(conv2.describe().contains("read by"), conv2.describe());
        }
    }

    @Test
    public void identityAndProjectionResidualsTieTheirStages() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NamedOpClassifier classifier = new NamedOpClassifier();
            ChannelGraph graph = graph(TestModels.residual(classifier), new Shape(1, 3, 16, 16), classifier, manager);
            // stem + unit-1 conv2 (identity add) = one group of 8; unit-2 conv2 + projection = one group of 16;
            // plus each unit's inner conv: 8 and 16
            List<ChannelGroup> prunable = graph.prunableGroups();
            Assert.assertEquals(prunable.stream().map(ChannelGroup::size).toList(), List.of(8, 8, 16, 16), graph.describe());
            ChannelGroup stage1 = prunable.get(0);
            Assert.assertEquals(stage1.producers().size(), 2, "stem conv and unit-1 conv2 produce one group");
            Assert.assertEquals(stage1.batchNorms().size(), 2);
            ChannelGroup stage2 = prunable.get(3);
            Assert.assertEquals(stage2.producers().size(), 2, "unit-2 conv2 and the projection");
            Assert.assertEquals(stage2.consumers().size(), 1, "only the classifier reads stage 2");
        }
    }

    @Test
    public void concatLaysGroupsSideBySide() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NamedOpClassifier classifier = new NamedOpClassifier();
            ParallelBlock inception =
                    classifier.declare(
                            new ParallelBlock(
                                    list -> new NDList(NDArrays.concat(new NDList(list.get(0).head(), list.get(1).head()), 1)),
                                    Arrays.asList(TestModels.conv(4, 1, 1, 0, true), TestModels.conv(6, 3, 1, 1, true))),
                            new JoinOp(JoinOp.Kind.CONCAT, 1));
            Block net =
                    new SequentialBlock()
                            .add(inception)
                            .add(TestModels.conv(5, 3, 1, 1, true))
                            .add(Blocks.batchFlattenBlock())
                            .add(Linear.builder().setUnits(3).build());
            ChannelGraph graph = graph(net, new Shape(1, 2, 6, 6), classifier, manager);
            LayerNode consumer = graph.prunableGroups().get(0).consumers().get(0);
            Assert.assertEquals(consumer.input().segments().size(), 2);
            Assert.assertEquals(consumer.input().segments().get(0).count(), 4);
            Assert.assertEquals(consumer.input().segments().get(1).count(), 6);
            Assert.assertEquals(graph.prunableGroups().size(), 3, graph.describe());
        }
    }

    @Test
    public void depthwiseConvPassesItsGroupThrough() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Block net =
                    new SequentialBlock()
                            .add(TestModels.conv(8, 1, 1, 0, false))
                            .add(ai.djl.nn.convolutional.Conv2d.builder()
                                    .setFilters(8).setKernelShape(new Shape(3, 3)).optPadding(new Shape(1, 1))
                                    .optGroups(8).build())
                            .add(Activation.reluBlock())
                            .add(TestModels.conv(4, 1, 1, 0, false))
                            .add(Blocks.batchFlattenBlock())
                            .add(Linear.builder().setUnits(2).build());
            ChannelGraph graph = graph(net, new Shape(1, 3, 5, 5), new NamedOpClassifier(), manager);
            ChannelGroup first = graph.prunableGroups().get(0);
            Assert.assertEquals(first.size(), 8);
            Assert.assertEquals(first.members().size(), 1, "the depthwise conv is a per-channel member");
            Assert.assertEquals(first.consumers().size(), 1, "the 1×1 conv after it reads the same group");
        }
    }

    @Test
    public void reusedBlockTiesItsUses() {
        try (NDManager manager = NDManager.newBaseManager()) {
            ai.djl.nn.convolutional.Conv2d shared = TestModels.conv(6, 3, 1, 1, true);
            Block net =
                    new SequentialBlock()
                            .add(TestModels.conv(6, 3, 1, 1, true))
                            .add(Activation.reluBlock())
                            .add(shared)
                            .add(Activation.reluBlock())
                            .add(shared)
                            .add(Blocks.batchFlattenBlock())
                            .add(Linear.builder().setUnits(2).build());
            ChannelGraph graph = graph(net, new Shape(1, 1, 4, 4), new NamedOpClassifier(), manager);
            // the first conv's output and the shared conv's output feed the same weights, so they are one group
            Assert.assertEquals(graph.prunableGroups().size(), 1, graph.describe());
            Assert.assertEquals(graph.prunableGroups().get(0).producers().size(), 3);
        }
    }

    @Test
    public void unknownBlockIsRefusedWithItsPath() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Block net =
                    new SequentialBlock()
                            .add(TestModels.conv(4, 3, 1, 1, true))
                            .add(new LambdaBlock(x -> new NDList(x.head().mul(2)), "double"))
                            .add(Blocks.batchFlattenBlock())
                            .add(Linear.builder().setUnits(2).build());
            UnsupportedBlockException e =
                    Assert.expectThrows(
                            UnsupportedBlockException.class,
                            () -> graph(net, new Shape(1, 1, 4, 4), new NamedOpClassifier(), manager));
            Assert.assertEquals(e.getPath(), "02LambdaBlock");
            Assert.assertTrue(e.getMessage().contains("ai.djl.nn.LambdaBlock"), e.getMessage());
        }
    }

    @Test
    public void exclusionsFixGroupsAndUnknownPathsAreRefused() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Block net = TestModels.lenet5();
            Shape input = new Shape(1, 1, 28, 28);
            net.initialize(manager, DataType.FLOAT32, input);
            ChannelGraph graph =
                    ChannelGraph.builder()
                            .setInputShape(input)
                            .setClassifier(new NamedOpClassifier())
                            .optExclude("01Conv2d")
                            .build(net);
            Assert.assertEquals(graph.prunableGroups().size(), 2);
            Assert.assertEquals(graph.group(1).fixedReason(), "excluded: 01Conv2d");
            Assert.expectThrows(
                    IllegalArgumentException.class,
                    () -> ChannelGraph.builder().setInputShape(input).setClassifier(new NamedOpClassifier())
                            .optExclude("99Nothing").build(net));
        }
    }

    @Test
    public void fingerprintDependsOnArchitectureNotWeights() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Shape input = new Shape(1, 1, 28, 28);
            String a = graph(TestModels.lenet5(), input, new NamedOpClassifier(), manager).fingerprint();
            String b = graph(TestModels.lenet5(), input, new NamedOpClassifier(), manager).fingerprint();
            String c = graph(TestModels.vggChain(), input, new NamedOpClassifier(), manager).fingerprint();
            Assert.assertEquals(a, b);
            Assert.assertNotEquals(a, c);
            Assert.assertEquals(a.length(), 64);
        }
    }
}
