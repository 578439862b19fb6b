package io.djlprune.compact;

import io.djlprune.graph.ChannelMask;
import io.djlprune.graph.LayerNode;
import io.djlprune.ops.LinearOp;

/**
 * What one layer keeps: positions on its input axis (channels, or features for a linear layer reading a flattened
 * map) and on its output axis, plus the leak corrections planned for it, indexed by original output channel.
 *
 * @param keptIn the kept input positions, ascending
 * @param keptOut the kept output channels, ascending
 * @param biasShift added to the bias, or null
 * @param meanShift subtracted from a BatchNorm's running mean, or null
 */
record SliceSpec(long[] keptIn, long[] keptOut, double[] biasShift, double[] meanShift) {

    static SliceSpec of(LayerNode node, ChannelMask mask, FoldPlan plan) {
        AxisPositions input = AxisPositions.of(node.input());
        long[] keptIn = node.op() instanceof LinearOp ? input.keptFeatures(mask) : input.keptChannels(mask);
        long[] keptOut = AxisPositions.of(node.output()).keptChannels(mask);
        return new SliceSpec(
                keptIn, keptOut, plan.biasShifts().get(node.block()), plan.meanShifts().get(node.block()));
    }
}
