package io.djlprune.compact;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.convolutional.Conv2d;
import io.djlprune.graph.LayerNode;
import io.djlprune.ops.Conv2dOp;
import io.djlprune.ops.UnsupportedBlockException;
import java.util.Arrays;

/**
 * Shrinks a {@code Conv2d}: keeps the kept filters (rows of the weight, entries of the bias) and, for an ordinary
 * convolution, the kept input channels (columns). A depthwise convolution keeps its kept channels and as many
 * groups; a grouped convolution is never pruned (the graph fixes its groups) and is copied whole.
 */
final class ConvSlicer implements LayerSlicer {

    /** {@inheritDoc} */
    @Override
    public void check(LayerNode node) {
        Conv2d conv = ParameterSlices.require(node, Conv2d.class);
        Conv2dOp op = (Conv2dOp) node.op();
        // Leak folding decides exactness from the description's padding, so the block must agree with it.
        if (op.bias() != conv.isIncludeBias()
                || op.groups() != conv.getGroups()
                || op.outChannels() != conv.getFilters()
                || !Arrays.equals(longs(op.padding()), conv.getPadding().getShape())
                || !Arrays.equals(longs(op.kernel()), conv.getKernelShape().getShape())) {
            throw new UnsupportedBlockException(
                    node.path(), conv.getClass().getName(), "the block disagrees with its description " + describe(op));
        }
    }

    /** {@inheritDoc} */
    @Override
    public Block slice(LayerNode node, SliceSpec spec, NDManager owner) {
        check(node);
        Conv2d conv = (Conv2d) node.block();
        Conv2dOp op = (Conv2dOp) node.op();
        int groups = groups(node, op, spec);
        Conv2d rebuilt =
                Conv2d.builder()
                        .setFilters(spec.keptOut().length)
                        .setKernelShape(conv.getKernelShape())
                        .optStride(conv.getStride())
                        .optPadding(conv.getPadding())
                        .optDilation(conv.getDilation())
                        .optGroups(groups)
                        .optBias(conv.isIncludeBias())
                        .build();
        try (NDManager scope = owner.newSubManager()) {
            NDArray weight = ParameterSlices.rows(node, "weight", spec.keptOut(), scope);
            if (op.groups() == 1) {
                // Only an ordinary convolution's weight has one column per input channel; grouped ones have in/groups.
                weight = ParameterSlices.take(weight, spec.keptIn(), 1, scope);
            }
            ParameterSlices.set(rebuilt, "weight", weight, owner);
            if (conv.isIncludeBias()) {
                NDArray bias = ParameterSlices.rows(node, "bias", spec.keptOut(), scope);
                bias = ParameterSlices.shifted(bias, spec.biasShift(), spec.keptOut(), 1, scope);
                ParameterSlices.set(rebuilt, "bias", bias, owner);
            }
        }
        return rebuilt;
    }

    private static long[] longs(int[] values) {
        return Arrays.stream(values).asLongStream().toArray();
    }

    private static String describe(Conv2dOp op) {
        return op.inChannels() + "→" + op.outChannels() + " " + Arrays.toString(op.kernel()) + " padding "
                + Arrays.toString(op.padding()) + " groups " + op.groups()
                + (op.bias() ? " with" : " without") + " bias";
    }

    private static int groups(LayerNode node, Conv2dOp op, SliceSpec spec) {
        if (op.isDepthwise()) {
            if (!Arrays.equals(spec.keptIn(), spec.keptOut())) {
                throw new IllegalStateException(
                        "Depthwise convolution '" + node.path() + "' would keep different input and output channels");
            }
            return spec.keptOut().length;
        }
        boolean whole = spec.keptIn().length == op.inChannels() && spec.keptOut().length == op.outChannels();
        if (op.groups() != 1 && !whole) {
            throw new IllegalStateException(
                    "Grouped convolution '" + node.path() + "' has fixed channels, yet the mask removes some");
        }
        return op.groups();
    }
}
