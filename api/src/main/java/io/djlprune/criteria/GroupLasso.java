package io.djlprune.criteria;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.loss.Loss;
import io.djlprune.graph.ChannelGraph;
import io.djlprune.graph.ChannelGroup;
import io.djlprune.hoyer.GroupHoyerSquare;
import io.djlprune.regularize.ChannelWeights;
import io.djlprune.regularize.RegularizedLoss;
import io.djlprune.regularize.Regularizer;
import java.util.List;

/**
 * Structured sparsity learning (SSL) of Wen et al. (2016): the group lasso {@code Σ_g ‖w_g‖₂} over the same
 * groups as {@link GroupHoyerSquare} — each channel's filter group and channel group, in every prunable channel
 * group — so the two regularisers differ only in the measure. Unlike Group-HS it is not scale-invariant: it shrinks
 * every group, large ones too. Channels are then ranked by their filter-group norm ({@link GroupNormScore}).
 *
 * <p>Each norm is {@code √(Σw² + ε)} so that a group driven to zero keeps a finite gradient.
 */
public final class GroupLasso implements Regularizer, ChannelScorer {

    private final List<ChannelGroup> groups;
    private final float epsilon;
    private final GroupNormScore score = new GroupNormScore(false);

    /**
     * Creates the regulariser over the prunable groups of a graph.
     *
     * @param graph the channel graph of an initialised network
     * @throws IllegalArgumentException if the graph has no prunable group
     */
    public GroupLasso(ChannelGraph graph) {
        this.groups = graph.prunableGroups();
        if (groups.isEmpty()) {
            throw new IllegalArgumentException("The network has no prunable channel group to regularise");
        }
        this.epsilon = GroupHoyerSquare.DEFAULT_EPSILON;
    }

    /**
     * Creates the training loss {@code base + λ · Σ_g ‖w_g‖₂}.
     *
     * @param base the task loss
     * @param lambda λ ≥ 0
     * @return the loss; add its {@code regularizerMetric()} as an evaluator to log the penalty
     * @throws IllegalArgumentException if λ is negative or not finite
     */
    public RegularizedLoss newLoss(Loss base, float lambda) {
        return RegularizedLoss.of(base, this, RegularizedLoss.requireWeight(lambda, "group lasso λ"));
    }

    /** {@inheritDoc} */
    @Override
    public String getName() {
        return "group_lasso";
    }

    /** {@inheritDoc} */
    @Override
    public NDArray evaluate(NDManager manager) {
        try (NDManager scope = manager.newSubManager()) {
            ChannelWeights reader = new ChannelWeights(scope);
            NDArray total = null;
            for (ChannelGroup group : groups) {
                NDArray term = reader.filterSquares(group).add(epsilon).sqrt().sum();
                if (!group.consumers().isEmpty()) {
                    term = term.add(reader.channelSquares(group).add(epsilon).sqrt().sum());
                }
                total = total == null ? term : total.add(term);
            }
            return scope.ret(total);
        }
    }

    /**
     * {@inheritDoc}
     *
     * <p>The filter-group norm of each channel.
     */
    @Override
    public float[][] score(ChannelGraph graph) {
        return score.score(graph);
    }
}
