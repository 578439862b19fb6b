package io.djlprune.compact;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.Parameter;
import ai.djl.nn.ParallelBlock;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.ParameterStore;
import io.djlprune.chipnet.GatedNetwork;
import io.djlprune.graph.ChannelGraph;
import io.djlprune.graph.ChannelGroup;
import io.djlprune.graph.ChannelMask;
import io.djlprune.ops.JoinOp;
import io.djlprune.testing.NamedOpClassifier;
import io.djlprune.testing.TestModels;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/** Models, weights, masks and comparisons shared by the compaction tests. */
final class CompactFixtures {

    private CompactFixtures() {}

    /** A stem, a concatenation of two branches, a conv over it, a second concatenation, then flatten → linear. */
    static Block concat(NamedOpClassifier classifier) {
        ParallelBlock first =
                concatOf(classifier, convBnRelu(4, 1, 0), convBnRelu(6, 3, 1));
        ParallelBlock second =
                concatOf(
                        classifier,
                        new SequentialBlock().add(TestModels.conv(3, 1, 1, 0, true)).add(Activation.reluBlock()),
                        convBnRelu(5, 3, 1));
        return new SequentialBlock()
                .add(convBnRelu(8, 3, 1))
                .add(first)
                .add(convBnRelu(6, 3, 1))
                .add(second)
                .add(Pool.maxPool2dBlock(new Shape(2, 2), new Shape(2, 2)))
                .add(Blocks.batchFlattenBlock())
                .add(Linear.builder().setUnits(10).build());
    }

    /** MobileNet-style: 1×1 expand, 3×3 depthwise, 1×1 project, each with BatchNorm, then global pooling. */
    static Block depthwise(NamedOpClassifier classifier) {
        return new SequentialBlock()
                .add(convBnRelu(16, 1, 0))
                .add(depthwiseConv(16, false))
                .add(BatchNorm.builder().build())
                .add(Activation.reluBlock())
                .add(convBnRelu(8, 1, 0))
                .add(Pool.globalAvgPool2dBlock())
                .add(Blocks.batchFlattenBlock())
                .add(Linear.builder().setUnits(5).build());
    }

    /**
     * A depthwise convolution with a bias and no BatchNorm after it: a removed channel, 0 after its gate, leaves the
     * depthwise layer as its bias (ChipNet defect 5) and reaches the 1×1 projection as relu(bias).
     */
    static Block depthwiseBiasLeak(NamedOpClassifier classifier) {
        return new SequentialBlock()
                .add(convBnRelu(16, 1, 0))
                .add(depthwiseConv(16, true))
                .add(Activation.reluBlock())
                .add(TestModels.conv(8, 1, 1, 0, true))
                .add(BatchNorm.builder().build())
                .add(Activation.reluBlock())
                .add(Pool.globalAvgPool2dBlock())
                .add(Blocks.batchFlattenBlock())
                .add(Linear.builder().setUnits(5).build());
    }

    static Conv2d depthwiseConv(int channels, boolean bias) {
        return Conv2d.builder()
                .setFilters(channels)
                .setKernelShape(new Shape(3, 3))
                .optPadding(new Shape(1, 1))
                .optGroups(channels)
                .optBias(bias)
                .build();
    }

    static SequentialBlock convBnRelu(int filters, int kernel, int padding) {
        return new SequentialBlock()
                .add(TestModels.conv(filters, kernel, 1, padding, false))
                .add(BatchNorm.builder().build())
                .add(Activation.reluBlock());
    }

    static ParallelBlock concatOf(NamedOpClassifier classifier, Block a, Block b) {
        ParallelBlock block =
                new ParallelBlock(
                        list -> new NDList(NDArrays.concat(new NDList(list.get(0).head(), list.get(1).head()), 1)),
                        List.of(a, b));
        return classifier.declare(block, new JoinOp(JoinOp.Kind.CONCAT, 1));
    }

    /** Initialises the block, gives biases and BatchNorm statistics random values (so nothing is trivially 0). */
    static ChannelGraph prepare(Block block, Shape input, NamedOpClassifier classifier, NDManager manager, long seed) {
        manager.getEngine().setRandomSeed((int) seed);
        block.initialize(manager, DataType.FLOAT32, input);
        Random random = new Random(seed);
        for (Parameter parameter : block.getParameters().values()) {
            if (parameter.getName().equals("weight")) {
                continue; // weights keep their Xavier initialisation
            }
            float[] values = new float[Math.toIntExact(parameter.getArray().size())];
            for (int i = 0; i < values.length; i++) {
                values[i] = randomValue(parameter.getName(), random);
            }
            parameter.getArray().set(values);
        }
        return ChannelGraph.builder().setInputShape(input).setClassifier(classifier).build(block);
    }

    private static float randomValue(String name, Random random) {
        switch (name) {
            case "bias":
                return (float) (0.2 * random.nextGaussian());
            case "gamma":
                return 0.5f + random.nextFloat();
            case "beta":
            case "runningMean":
                return (float) (0.5 * random.nextGaussian());
            case "runningVar":
                return 0.5f + 1.5f * random.nextFloat();
            default:
                throw new IllegalArgumentException("No random rule for parameter " + name);
        }
    }

    /** Keeps a random {@code fraction} (at least one) of each prunable group. */
    static ChannelMask randomMask(ChannelGraph graph, double fraction, long seed) {
        Random random = new Random(seed);
        boolean[][] keep = new boolean[graph.groups().size()][];
        for (ChannelGroup group : graph.groups()) {
            keep[group.id()] = new boolean[group.size()];
            int kept = group.prunable() ? Math.max(1, (int) Math.round(fraction * group.size())) : group.size();
            List<Integer> order = new ArrayList<>();
            for (int c = 0; c < group.size(); c++) {
                order.add(c);
            }
            Collections.shuffle(order, random);
            for (int c : order.subList(0, kept)) {
                keep[group.id()][c] = true;
            }
        }
        return ChannelMask.of(graph, keep);
    }

    static NDArray infer(Block block, NDArray input) {
        NDList output = block.forward(new ParameterStore(input.getManager(), false), new NDList(input), false);
        return output.singletonOrThrow();
    }

    /** Compacts with the default (gated) semantics. */
    static CompactionResult compact(
            NamedOpClassifier classifier, NDManager manager, Block dense, ChannelGraph graph, ChannelMask mask) {
        return Compactor.builder().setClassifier(classifier).build().compact(manager, dense, graph, mask);
    }

    /** The reference: the output of the gated network in hard mode, sharing the dense network's weights. */
    static NDArray hardMasked(Block dense, ChannelGraph graph, ChannelMask mask, NDArray input) {
        GatedNetwork gated = GatedNetwork.of(dense, graph);
        gated.getBlock().initialize(input.getManager(), DataType.FLOAT32, graph.getInputShape());
        gated.applyHardMask(mask);
        return infer(gated.getBlock(), input);
    }

    /** The input shape with another batch size. */
    static Shape batchOf(Shape input, long batch) {
        long[] dims = input.getShape();
        dims[0] = batch;
        return new Shape(dims);
    }

    static double maxAbsDiff(NDArray a, NDArray b) {
        if (!a.getShape().equals(b.getShape())) {
            throw new AssertionError("Shapes differ: " + a.getShape() + " and " + b.getShape());
        }
        return a.toType(DataType.FLOAT64, false).sub(b.toType(DataType.FLOAT64, false)).abs().max().getDouble();
    }

    /** The number of trainable parameter values of a block, each shared parameter once. */
    static long trainableCount(Block block) {
        long total = 0;
        for (Parameter parameter : block.getParameters().values()) {
            if (parameter.requiresGradient()) {
                total += parameter.getArray().size();
            }
        }
        return total;
    }

    /** Declares each rebuilt parallel block's join to the test classifier, as the original's was declared. */
    static void mirrorJoins(NamedOpClassifier classifier, Block original, Block compact) {
        if (original instanceof ParallelBlock parallel) {
            classifier.declare((ParallelBlock) compact, classifier.classifyJoin(parallel, new Shape[0], "mirror"));
        }
        if (original instanceof SequentialBlock || original instanceof ParallelBlock) {
            List<Block> a = original.getChildren().values();
            List<Block> b = compact.getChildren().values();
            for (int i = 0; i < a.size(); i++) {
                mirrorJoins(classifier, a.get(i), b.get(i));
            }
        }
    }
}
