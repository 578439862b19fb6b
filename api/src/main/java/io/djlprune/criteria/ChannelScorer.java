package io.djlprune.criteria;

import io.djlprune.graph.ChannelGraph;

/**
 * Scores every prunable channel of a network from its current weights; higher means more worth keeping. The scores
 * go to {@link io.djlprune.mask.MaskSelector} for a budget-exact mask, so every criterion is compared at the same
 * budget with the same selection, compaction and fine-tuning.
 */
public interface ChannelScorer {

    /**
     * Returns the criterion's name, used as the method of a {@link io.djlprune.mask.MaskPlan}, e.g. {@code "l1"}.
     *
     * @return the name
     */
    String getName();

    /**
     * Scores the channels.
     *
     * @param graph the channel graph of an initialised network
     * @return one array per group id: a score per channel for prunable groups, null for fixed groups
     * @throws IllegalArgumentException if the criterion does not apply to the network
     */
    float[][] score(ChannelGraph graph);
}
