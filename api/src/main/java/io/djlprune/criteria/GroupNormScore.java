package io.djlprune.criteria;

import ai.djl.ndarray.NDArray;
import io.djlprune.graph.ChannelGraph;
import io.djlprune.hoyer.GroupHoyerSquare;
import io.djlprune.regularize.ChannelWeights;

/**
 * Structured DeepHoyer's (and group lasso's) channel score: the L2 norm of the channel's filter group as
 * {@link ChannelWeights} defines it (its rows in every tied producer, depthwise member and BatchNorm γ), optionally
 * multiplied by the norm of its channel group (its input slices in every consumer). After training with
 * {@link GroupHoyerSquare} the norms of unneeded channels are driven toward zero, so the score separates them.
 */
public final class GroupNormScore implements ChannelScorer {

    private final boolean withConsumers;

    /**
     * Creates the score.
     *
     * @param withConsumers whether to multiply by the norm of the consumers' input slices (a channel nobody reads
     *     strongly is as removable as one produced weakly)
     */
    public GroupNormScore(boolean withConsumers) {
        this.withConsumers = withConsumers;
    }

    /** {@inheritDoc} */
    @Override
    public String getName() {
        return withConsumers ? "group_norm_in_out" : "group_norm";
    }

    /** {@inheritDoc} */
    @Override
    public float[][] score(ChannelGraph graph) {
        return GroupScores.of(graph, (reader, group) -> {
            NDArray norm = reader.filterSquares(group).sqrt();
            if (withConsumers && !group.consumers().isEmpty()) {
                norm = norm.mul(reader.channelSquares(group).sqrt());
            }
            return norm;
        });
    }
}
