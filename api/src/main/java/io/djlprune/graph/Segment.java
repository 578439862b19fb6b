package io.djlprune.graph;

/**
 * A run of consecutive channels of one channel group laid along a tensor's channel (or feature) axis.
 *
 * @param group the channel group's id
 * @param start the first channel of the group in this run
 * @param count how many consecutive channels of the group
 * @param multiplier how many features each channel occupies: 1 before a flatten, H·W after flattening a map
 */
public record Segment(int group, int start, int count, long multiplier) {

    /**
     * Returns how many positions the run occupies on the axis.
     *
     * @return {@code count · multiplier}
     */
    public long width() {
        return count * multiplier;
    }
}
