package io.djlprune.ops;

/**
 * How a {@code ParallelBlock} merges the single outputs of its branches.
 *
 * @param kind element-wise sum or concatenation
 * @param axis the concatenation axis (1 for channels); unused for a sum
 */
public record JoinOp(Kind kind, int axis) implements Op {

    /** The merges djl-prune recognises. */
    public enum Kind {
        /** Element-wise sum of all branches (residual add); all branches share one channel axis. */
        ADD,
        /** Concatenation of all branches along {@code axis}, in branch order. */
        CONCAT
    }
}
