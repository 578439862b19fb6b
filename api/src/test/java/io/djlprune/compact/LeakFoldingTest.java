package io.djlprune.compact;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.pooling.Pool;
import io.djlprune.graph.ChannelGraph;
import io.djlprune.graph.ChannelMask;
import io.djlprune.testing.NamedOpClassifier;
import io.djlprune.testing.TestModels;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;
import org.testng.Assert;
import org.testng.annotations.DataProvider;
import org.testng.annotations.Test;

/**
 * Removed channels that carry a constant into a consumer: folded exactly where the consumer reads the constant the
 * same way at every output, refused where zero padding makes the borders differ.
 */
public class LeakFoldingTest {

    private static final double TOLERANCE = 1e-5;

    /** conv → BN (gated) → sigmoid, so a removed channel is sigmoid(0) = ½ after the gate. */
    private static SequentialBlock sigmoidStem() {
        return new SequentialBlock()
                .add(TestModels.conv(6, 3, 1, 1, true))
                .add(BatchNorm.builder().build())
                .add(Activation.sigmoidBlock());
    }

    @DataProvider
    public Object[][] gatedLeaks() {
        return new Object[][] {
            {
                "sigmoid → max pool → flatten → linear",
                (Supplier<Block>) () -> sigmoidStem()
                        .add(Pool.maxPool2dBlock(new Shape(2, 2), new Shape(2, 2)))
                        .add(Blocks.batchFlattenBlock())
                        .add(Linear.builder().setUnits(5).build())
                        .add(Activation.reluBlock())
                        .add(Linear.builder().setUnits(3).build()),
                "06Linear", "06Linear", LeakFold.Kind.BIAS
            },
            {
                "sigmoid → global pool → linear",
                (Supplier<Block>) () -> sigmoidStem()
                        .add(Pool.globalAvgPool2dBlock())
                        .add(Blocks.batchFlattenBlock())
                        .add(Linear.builder().setUnits(3).build()),
                "06Linear", "06Linear", LeakFold.Kind.BIAS
            },
            {
                "sigmoid → bias-free 1×1 conv → BN",
                (Supplier<Block>) () -> sigmoidStem()
                        .add(TestModels.conv(4, 1, 1, 0, false))
                        .add(BatchNorm.builder().build())
                        .add(Activation.reluBlock())
                        .add(Pool.globalAvgPool2dBlock())
                        .add(Blocks.batchFlattenBlock())
                        .add(Linear.builder().setUnits(3).build()),
                "04Conv2d", "05BatchNorm", LeakFold.Kind.RUNNING_MEAN
            },
        };
    }

    @Test(dataProvider = "gatedLeaks")
    public void sigmoidLeakIsFoldedExactly(
            String name, Supplier<Block> model, String consumer, String target, LeakFold.Kind kind) {
        Shape input = new Shape(1, 2, 8, 8);
        try (NDManager manager = NDManager.newBaseManager()) {
            NamedOpClassifier classifier = new NamedOpClassifier();
            Block dense = model.get();
            ChannelGraph graph = CompactFixtures.prepare(dense, input, classifier, manager, 7);
            ChannelMask mask = CompactFixtures.randomMask(graph, 0.5, 3);
            CompactionResult result = CompactFixtures.compact(classifier, manager, dense, graph, mask);

            Assert.assertEquals(result.folds().size(), 1, result.describe());
            LeakFold fold = result.folds().get(0);
            Assert.assertEquals(fold.consumer(), consumer);
            Assert.assertEquals(fold.target(), target);
            Assert.assertEquals(fold.kind(), kind);
            Assert.assertEquals(fold.channels(), 3, "half of the 6 channels are removed, each carries ½");
            Assert.assertTrue(fold.maxShift() > 1e-2, "the fold matters: " + fold);

            NDArray x = manager.randomNormal(CompactFixtures.batchOf(input, 4));
            NDArray expected = CompactFixtures.hardMasked(dense, graph, mask, x);
            double diff = CompactFixtures.maxAbsDiff(expected, CompactFixtures.infer(result.block(), x));
            System.out.printf("%s: max |gated − compact| = %.3g, %s%n", name, diff, fold);
            Assert.assertTrue(diff <= TOLERANCE, name + ": " + diff);
        }
    }

    @Test
    public void sigmoidLeakIntoPaddedConvIsRefusedWithItsPath() {
        Block dense =
                sigmoidStem()
                        .add(TestModels.conv(4, 3, 1, 1, true))
                        .add(Activation.reluBlock())
                        .add(Blocks.batchFlattenBlock())
                        .add(Linear.builder().setUnits(3).build());
        try (NDManager manager = NDManager.newBaseManager()) {
            NamedOpClassifier classifier = new NamedOpClassifier();
            ChannelGraph graph = CompactFixtures.prepare(dense, new Shape(1, 2, 6, 6), classifier, manager, 7);
            ChannelMask mask = CompactFixtures.randomMask(graph, 0.5, 3);
            InexactCompactionException e =
                    Assert.expectThrows(
                            InexactCompactionException.class,
                            () -> CompactFixtures.compact(classifier, manager, dense, graph, mask));
            Assert.assertEquals(e.getPath(), "04Conv2d");
            Assert.assertTrue(e.getMessage().contains("'04Conv2d'"), e.getMessage());
            Assert.assertTrue(e.getMessage().contains("zero padding 1×1"), e.getMessage());
            Assert.assertTrue(e.getMessage().contains("=0.5000"), "names the constant ½: " + e.getMessage());
        }
    }

    @Test
    public void keptChannelsOnlyMeanNoFoldEvenAfterSigmoid() {
        Block dense =
                sigmoidStem()
                        .add(TestModels.conv(4, 3, 1, 1, true))
                        .add(Blocks.batchFlattenBlock())
                        .add(Linear.builder().setUnits(3).build());
        try (NDManager manager = NDManager.newBaseManager()) {
            NamedOpClassifier classifier = new NamedOpClassifier();
            ChannelGraph graph = CompactFixtures.prepare(dense, new Shape(1, 2, 6, 6), classifier, manager, 7);
            // The sigmoid's group keeps everything; only the padded conv's own outputs lose channels.
            boolean[][] keep = new boolean[graph.groups().size()][];
            for (var group : graph.groups()) {
                keep[group.id()] = new boolean[group.size()];
                Arrays.fill(keep[group.id()], true);
            }
            int convGroup = graph.layers().get(3).output().segments().get(0).group();
            keep[convGroup][0] = false;
            ChannelMask mask = ChannelMask.of(graph, keep);
            CompactionResult result = CompactFixtures.compact(classifier, manager, dense, graph, mask);
            Assert.assertTrue(result.folds().isEmpty(), result.describe());
            Assert.assertEquals(result.layers().get(2).outputsAfter(), 3, result.describe());
        }
    }

    @DataProvider
    public Object[][] zeroedLeaks() {
        return new Object[][] {
            {
                "MLP with BatchNorm",
                (Supplier<Block>) () -> new SequentialBlock()
                        .add(Linear.builder().setUnits(16).build())
                        .add(BatchNorm.builder().build())
                        .add(Activation.reluBlock())
                        .add(Linear.builder().setUnits(12).build())
                        .add(BatchNorm.builder().build())
                        .add(Activation.reluBlock())
                        .add(Linear.builder().setUnits(4).build()),
                new Shape(1, 10)
            },
            {
                "conv → BN → global pool → linear",
                (Supplier<Block>) () -> CompactFixtures.convBnRelu(8, 3, 1)
                        .add(CompactFixtures.convBnRelu(6, 1, 0))
                        .add(Pool.globalAvgPool2dBlock())
                        .add(Blocks.batchFlattenBlock())
                        .add(Linear.builder().setUnits(3).build()),
                new Shape(1, 2, 6, 6)
            },
        };
    }

    /**
     * DeepHoyer defect 4: a zeroed filter followed by BatchNorm still emits the BatchNorm's shift; the compactor folds
     * it so the compact network equals the network with zeroed filters.
     */
    @Test(dataProvider = "zeroedLeaks")
    public void zeroedFiltersBatchNormShiftIsFolded(String name, Supplier<Block> model, Shape input) {
        try (NDManager manager = NDManager.newBaseManager()) {
            NamedOpClassifier classifier = new NamedOpClassifier();
            Block dense = model.get();
            ChannelGraph graph = CompactFixtures.prepare(dense, input, classifier, manager, 11);
            ChannelMask mask = CompactFixtures.randomMask(graph, 0.5, 5);
            Compactor compactor =
                    Compactor.builder().setClassifier(classifier).optSemantics(MaskSemantics.ZEROED_PRODUCERS).build();
            CompactionResult result = compactor.compact(manager, dense, graph, mask);
            Assert.assertFalse(result.folds().isEmpty(), result.describe());

            NDArray x = manager.randomNormal(CompactFixtures.batchOf(input, 4));
            NDArray before = CompactFixtures.infer(dense, x);
            ZeroedFilters.apply(graph, mask);
            NDArray zeroed = CompactFixtures.infer(dense, x);
            Assert.assertTrue(CompactFixtures.maxAbsDiff(before, zeroed) > 1e-2, "zeroing must change the output");
            double diff = CompactFixtures.maxAbsDiff(zeroed, CompactFixtures.infer(result.block(), x));
            System.out.printf("zeroed %s: max |zeroed − compact| = %.3g, %s%n", name, diff, result.folds());
            Assert.assertTrue(diff <= TOLERANCE, name + ": " + diff + "\n" + result.describe());
        }
    }

    @Test
    public void zeroedFiltersBeforePaddedConvAreRefused() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NamedOpClassifier classifier = new NamedOpClassifier();
            Block dense = TestModels.vggChain();
            ChannelGraph graph = CompactFixtures.prepare(dense, new Shape(1, 3, 16, 16), classifier, manager, 11);
            ChannelMask mask = CompactFixtures.randomMask(graph, 0.5, 5);
            Compactor compactor =
                    Compactor.builder().setClassifier(classifier).optSemantics(MaskSemantics.ZEROED_PRODUCERS).build();
            InexactCompactionException e =
                    Assert.expectThrows(
                            InexactCompactionException.class, () -> compactor.compact(manager, dense, graph, mask));
            Assert.assertEquals(e.getPath(), "04Conv2d", e.getMessage());
            // The same mask is exact under the gated semantics, whose gate sits after the BatchNorm.
            CompactionResult gated = CompactFixtures.compact(classifier, manager, dense, graph, mask);
            Assert.assertTrue(gated.folds().isEmpty(), gated.describe());
        }
    }

    /** Zeroes the removed filters (weight rows and bias entries) of every producer, as DeepHoyer leaves a network. */
    static final class ZeroedFilters {
        private ZeroedFilters() {}

        static void apply(ChannelGraph graph, ChannelMask mask) {
            for (var group : graph.prunableGroups()) {
                for (var producer : group.producers()) {
                    for (String name : List.of("weight", "bias")) {
                        var parameter = producer.block().getParameters().get(name);
                        if (parameter == null) {
                            continue;
                        }
                        NDArray array = parameter.getArray();
                        float[] values = array.toFloatArray();
                        int row = values.length / group.size();
                        for (int c = 0; c < group.size(); c++) {
                            if (!mask.isKept(group.id(), c)) {
                                Arrays.fill(values, c * row, (c + 1) * row, 0f);
                            }
                        }
                        array.set(values);
                    }
                }
            }
        }
    }
}
