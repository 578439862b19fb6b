package io.djlprune.cost;

import io.djlprune.graph.Segment;

/**
 * The arithmetic a cost formula is written in, so one formula serves both faces of the {@link CostModel}: exact
 * integers for a hard mask and differentiable NDArrays for soft gates.
 *
 * @param <T> the value type
 */
interface CostAlgebra<T> {

    /** Returns a constant. */
    T constant(long value);

    /** Returns a + b. */
    T plus(T a, T b);

    /** Returns a · b. */
    T times(T a, T b);

    /** Returns the (soft) number of kept channels in a run of a group. */
    T kept(Segment segment);

    /** Returns whether the segment's group may be pruned (channel and volume budgets count only those). */
    boolean prunable(Segment segment);
}
