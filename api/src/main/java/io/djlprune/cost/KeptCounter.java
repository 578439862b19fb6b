package io.djlprune.cost;

/**
 * Answers how many channels of a run of a group are kept; what the exact cost needs from a mask. A
 * {@link io.djlprune.graph.ChannelMask} is one ({@code mask::keptCount}); a selector's working state is another.
 */
@FunctionalInterface
public interface KeptCounter {

    /**
     * Returns the number of kept channels in {@code [start, start + count)} of a group.
     *
     * @param group the group id
     * @param start the first channel
     * @param count the run length
     * @return the kept count
     */
    int keptCount(int group, int start, int count);
}
