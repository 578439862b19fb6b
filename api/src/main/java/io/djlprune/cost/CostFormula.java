package io.djlprune.cost;

import io.djlprune.graph.ChannelLayout;
import io.djlprune.graph.LayerNode;
import io.djlprune.graph.Segment;
import io.djlprune.ops.BatchNormOp;
import io.djlprune.ops.Conv2dOp;
import io.djlprune.ops.LinearOp;

/**
 * The cost of one layer as a function of the kept channels on its input and output axes, for each budget kind.
 * Parameters and FLOPs are bilinear: a convolution's weight count is kept inputs × kept outputs × kernel area.
 */
final class CostFormula {

    private CostFormula() {}

    static <T> T of(LayerNode node, BudgetKind kind, CostAlgebra<T> alg) {
        long spatial = node.outputSpatial();
        if (node.op() instanceof Conv2dOp conv) {
            long area = (long) conv.kernel()[0] * conv.kernel()[1];
            T out = kept(node.output(), alg, false);
            if (conv.isDepthwise()) {
                return layer(kind, alg, alg.times(out, alg.constant(area)), conv.bias() ? out : null, spatial, node.output());
            }
            T in = kept(node.input(), alg, false);
            T weights = alg.times(alg.times(in, out), alg.constant(area));
            if (conv.groups() > 1) {
                // Grouped layers are never pruned (their groups are fixed), so the division stays exact.
                weights = alg.constant((long) conv.inChannels() / conv.groups() * conv.outChannels() * area);
            }
            return layer(kind, alg, weights, conv.bias() ? out : null, spatial, node.output());
        }
        if (node.op() instanceof LinearOp linear) {
            T in = kept(node.input(), alg, false);
            T out = kept(node.output(), alg, false);
            return layer(kind, alg, alg.times(in, out), linear.bias() ? out : null, 1, node.output());
        }
        if (node.op() instanceof BatchNormOp bn) {
            T channels = kept(node.output(), alg, false);
            switch (kind) {
                case PARAMETERS:
                    return alg.times(channels, alg.constant((bn.center() ? 1 : 0) + (bn.scale() ? 1 : 0)));
                case FLOPS:
                    return alg.times(channels, alg.constant(2 * spatial));
                default:
                    return alg.constant(0);
            }
        }
        return alg.constant(0);
    }

    /** Cost of a conv or linear layer from its weight count (kept) and bias count. */
    private static <T> T layer(
            BudgetKind kind, CostAlgebra<T> alg, T weights, T bias, long spatial, ChannelLayout output) {
        switch (kind) {
            case PARAMETERS:
                return bias == null ? weights : alg.plus(weights, bias);
            case FLOPS:
                T macs = alg.times(weights, alg.constant(2 * spatial));
                return bias == null ? macs : alg.plus(macs, alg.times(bias, alg.constant(spatial)));
            case CHANNELS:
                return kept(output, alg, true);
            case VOLUME:
                return alg.times(kept(output, alg, true), alg.constant(spatial));
            default:
                throw new IllegalStateException("Unhandled budget kind " + kind);
        }
    }

    /** Σ over the runs of a layout of kept channels × features per channel. */
    private static <T> T kept(ChannelLayout layout, CostAlgebra<T> alg, boolean prunableOnly) {
        T total = alg.constant(0);
        for (Segment segment : layout.segments()) {
            if (prunableOnly && !alg.prunable(segment)) {
                continue;
            }
            T count = alg.kept(segment);
            total = alg.plus(total, segment.multiplier() == 1 ? count : alg.times(count, alg.constant(segment.multiplier())));
        }
        return total;
    }
}
