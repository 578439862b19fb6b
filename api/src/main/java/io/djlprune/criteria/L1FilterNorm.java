package io.djlprune.criteria;

import ai.djl.ndarray.NDArray;
import io.djlprune.graph.ChannelGraph;

/**
 * The L1-norm filter criterion of Li et al. (2017), "Pruning Filters for Efficient ConvNets": a channel scores
 * {@code Σ|W|} over its filter, and a channel of a residual-tied group over its filters in every tied producer
 * (they are removed together, so they are judged together). BatchNorm is not part of the score, as in the paper.
 */
public final class L1FilterNorm implements ChannelScorer {

    /** {@inheritDoc} */
    @Override
    public String getName() {
        return "l1";
    }

    /** {@inheritDoc} */
    @Override
    public float[][] score(ChannelGraph graph) {
        return GroupScores.of(graph, (reader, group) -> reader.producerSums(group, NDArray::abs));
    }
}
