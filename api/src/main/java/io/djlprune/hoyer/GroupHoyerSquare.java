package io.djlprune.hoyer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.djlprune.graph.ChannelGraph;
import io.djlprune.graph.ChannelGroup;
import io.djlprune.regularize.ChannelWeights;
import io.djlprune.regularize.Regularizer;
import java.util.List;

/**
 * DeepHoyer's structured measure, Group-HS: {@code G = (Σ_c ‖w_c‖₂)² / Σ_c ‖w_c‖₂²} over a partition of weights
 * into groups {@code w_c}; Hoyer-Square of the vector of group norms, so in {@code [1, C]} and scale-invariant.
 *
 * <p>As a {@link Regularizer} it is applied per prunable {@link ChannelGroup} of a graph, not per layer: the groups
 * are the channels' filter groups and channel groups of {@link ChannelWeights}, each spanning every tied producer or
 * consumer, so a residual-tied channel is driven to zero as one unit and its removal is a real structural removal.
 * {@code R = Σ_prunable groups G(filters) + G(channels)}. Fixed groups (network input, class outputs, excluded
 * layers) are not regularised: their channels cannot be removed.
 *
 * <p>Each group norm is {@code √(Σw² + ε)}: the reference implementation's plain norm has an infinite derivative
 * at an all-zero group and gives NaN gradients exactly when a channel has been driven to zero.
 */
public final class GroupHoyerSquare implements Regularizer {

    /** The default ε inside each group norm. */
    public static final float DEFAULT_EPSILON = 1e-8f;

    private final List<ChannelGroup> groups;
    private final float epsilon;

    /**
     * Creates the regulariser over the prunable groups of a graph with the default ε.
     *
     * @param graph the channel graph of an initialised network
     * @throws IllegalArgumentException if the graph has no prunable group
     */
    public GroupHoyerSquare(ChannelGraph graph) {
        this(graph, DEFAULT_EPSILON);
    }

    /**
     * Creates the regulariser over the prunable groups of a graph.
     *
     * @param graph the channel graph of an initialised network
     * @param epsilon ε &gt; 0 added to each group's Σw² before the square root
     * @throws IllegalArgumentException if ε is not a finite positive number or the graph has no prunable group
     */
    public GroupHoyerSquare(ChannelGraph graph, float epsilon) {
        if (!(epsilon > 0) || !Float.isFinite(epsilon)) {
            throw new IllegalArgumentException(
                    "ε keeps the gradient of an all-zero group finite and must be a finite number > 0, got " + epsilon);
        }
        this.groups = graph.prunableGroups();
        if (groups.isEmpty()) {
            throw new IllegalArgumentException("The network has no prunable channel group to regularise");
        }
        this.epsilon = epsilon;
    }

    /**
     * Computes G from the squared norms of the groups: {@code (Σ √(s_c + ε))² / Σ (s_c + ε)}.
     *
     * @param squares Σw² of each group, shape {@code (C)}
     * @param epsilon ε ≥ 0
     * @return a scalar, belonging to the manager of {@code squares}
     * @throws IllegalArgumentException if ε is negative or not finite
     */
    public static NDArray of(NDArray squares, float epsilon) {
        if (!(epsilon >= 0) || !Float.isFinite(epsilon)) {
            throw new IllegalArgumentException("ε must be a finite number ≥ 0, got " + epsilon);
        }
        NDArray shifted = squares.add(epsilon);
        NDArray l1 = shifted.sqrt().sum();
        return l1.mul(l1).div(shifted.sum());
    }

    /** {@inheritDoc} */
    @Override
    public String getName() {
        return "group_hoyer_square";
    }

    /** {@inheritDoc} */
    @Override
    public NDArray evaluate(NDManager manager) {
        try (NDManager scope = manager.newSubManager()) {
            ChannelWeights reader = new ChannelWeights(scope);
            NDArray total = null;
            for (ChannelGroup group : groups) {
                NDArray r = evaluate(reader, group);
                total = total == null ? r : total.add(r);
            }
            return scope.ret(total);
        }
    }

    /**
     * Computes one group's term, {@code G(filters) + G(channels)}; the channel term is left out when nothing reads
     * the group.
     *
     * @param reader the weight reader of the current computation
     * @param group a channel group of the graph
     * @return a scalar in the reader's scope
     */
    public NDArray evaluate(ChannelWeights reader, ChannelGroup group) {
        NDArray term = of(reader.filterSquares(group), epsilon);
        if (!group.consumers().isEmpty()) {
            term = term.add(of(reader.channelSquares(group), epsilon));
        }
        return term;
    }
}
