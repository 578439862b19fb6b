package io.djlprune.ops;

import java.util.Optional;

/**
 * How a {@code ParallelBlock} merges the single outputs of its branches, optionally followed by an element-wise
 * activation inside the same join function (DJL's {@code ResNetV1} residual unit returns {@code relu(a + b)} from its
 * join, so the ReLU is not a block of its own).
 *
 * @param kind element-wise sum or concatenation
 * @param axis the concatenation axis (1 for channels); {@code -1} for a sum
 * @param post the activation applied to the merged array, or {@code null} if the merge is returned as it is
 */
public record JoinOp(Kind kind, int axis, ActivationOp post) implements Op {

    /** The merges djl-prune recognises. */
    public enum Kind {
        /** Element-wise sum of all branches (residual add); all branches share one channel axis. */
        ADD,
        /** Concatenation of all branches along {@code axis}, in branch order. */
        CONCAT
    }

    /**
     * Creates a join without a post-activation.
     *
     * @param kind element-wise sum or concatenation
     * @param axis the concatenation axis; {@code -1} for a sum
     */
    public JoinOp(Kind kind, int axis) {
        this(kind, axis, null);
    }

    /**
     * Returns the element-wise sum of all branches, returned as it is.
     *
     * @return the residual add
     */
    public static JoinOp add() {
        return new JoinOp(Kind.ADD, -1, null);
    }

    /**
     * Returns the concatenation of all branches along {@code axis}, returned as it is.
     *
     * @param axis the concatenation axis, 1 for channels
     * @return the concatenation
     */
    public static JoinOp concat(int axis) {
        return new JoinOp(Kind.CONCAT, axis, null);
    }

    /**
     * Returns the activation the join applies after merging, if any. Where it maps 0 to a non-zero value (see
     * {@link ActivationOp#valueAtZero()}), removing a channel of the merged array must fold that constant forward.
     *
     * @return the post-activation, or empty if the merge is the join's output
     */
    public Optional<ActivationOp> postActivation() {
        return Optional.ofNullable(post);
    }

    /**
     * Returns this join followed by {@code activation}.
     *
     * @param activation the activation applied to the merged array
     * @return a join with that post-activation
     */
    public JoinOp withPost(ActivationOp activation) {
        return new JoinOp(kind, axis, activation);
    }
}
