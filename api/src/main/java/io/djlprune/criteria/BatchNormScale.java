package io.djlprune.criteria;

import ai.djl.ndarray.NDArray;
import io.djlprune.graph.ChannelGraph;
import io.djlprune.graph.ChannelGroup;
import io.djlprune.graph.LayerNode;

/**
 * The Network Slimming criterion of Liu et al. (2017): a channel scores {@code |γ|}, the scale of its BatchNorm,
 * usually after training with {@link SlimmingRegularizedLoss}. A residual-tied channel passes through one BatchNorm
 * per tied branch and scores the <b>sum</b> {@code Σ|γ|} over them: the branches are added, so the channel's share
 * of the sum grows with every branch's scale, and a channel that only one branch uses strongly is still kept.
 */
public final class BatchNormScale implements ChannelScorer {

    /** {@inheritDoc} */
    @Override
    public String getName() {
        return "bn_scale";
    }

    /**
     * {@inheritDoc}
     *
     * @throws IllegalArgumentException if a prunable group passes through no BatchNorm, which leaves its channels
     *     without a scale to rank by
     */
    @Override
    public float[][] score(ChannelGraph graph) {
        for (ChannelGroup group : graph.prunableGroups()) {
            if (group.batchNorms().isEmpty()) {
                throw new IllegalArgumentException(
                        "Group " + group.id() + " passes through no BatchNorm, so Network Slimming has no scale to rank"
                                + " its channels by; exclude its producer or use another criterion\n" + group.describe());
            }
        }
        return GroupScores.of(graph, (reader, group) -> {
            NDArray total = null;
            for (LayerNode bn : group.batchNorms()) {
                NDArray scale = reader.outputSums(bn, "gamma", group, NDArray::abs);
                total = total == null ? scale : total.add(scale);
            }
            return total;
        });
    }
}
