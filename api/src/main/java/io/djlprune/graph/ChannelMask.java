package io.djlprune.graph;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Which channels of each group of a {@link ChannelGraph} are kept: the hard decision every pruning method produces
 * and compaction consumes. Groups that are not prunable are always fully kept. Immutable.
 */
public final class ChannelMask {

    private final boolean[][] keep;

    private ChannelMask(boolean[][] keep) {
        this.keep = keep;
    }

    /**
     * Returns the mask that keeps every channel.
     *
     * @param graph the graph
     * @return the full mask
     */
    public static ChannelMask full(ChannelGraph graph) {
        boolean[][] keep = new boolean[graph.groups().size()][];
        for (ChannelGroup group : graph.groups()) {
            keep[group.id()] = new boolean[group.size()];
            Arrays.fill(keep[group.id()], true);
        }
        return new ChannelMask(keep);
    }

    /**
     * Creates a mask from per-group keep flags, checking it against the graph.
     *
     * @param graph the graph
     * @param keep one array per group id, of the group's size
     * @return the mask
     * @throws IllegalArgumentException if the arrays do not fit the graph, a fixed group loses a channel, or a group
     *     keeps nothing
     */
    public static ChannelMask of(ChannelGraph graph, boolean[][] keep) {
        if (keep.length != graph.groups().size()) {
            throw new IllegalArgumentException(
                    "A mask for " + keep.length + " groups does not fit a graph of " + graph.groups().size());
        }
        boolean[][] copy = new boolean[keep.length][];
        for (ChannelGroup group : graph.groups()) {
            boolean[] flags = keep[group.id()];
            if (flags == null || flags.length != group.size()) {
                throw new IllegalArgumentException(
                        "Group " + group.id() + " has " + group.size() + " channels, the mask gives "
                                + (flags == null ? "none" : flags.length));
            }
            int kept = count(flags);
            if (kept == 0) {
                throw new IllegalArgumentException("Group " + group.id() + " would lose all its channels");
            }
            if (!group.prunable() && kept != group.size()) {
                throw new IllegalArgumentException(
                        "Group " + group.id() + " is fixed (" + group.fixedReason() + ") but the mask removes channels");
            }
            copy[group.id()] = flags.clone();
        }
        return new ChannelMask(copy);
    }

    /**
     * Creates a mask from the kept channel indices of each group.
     *
     * @param graph the graph
     * @param kept one index list per group id
     * @return the mask
     * @throws IllegalArgumentException if an index is out of range or the result is invalid for {@link #of}
     */
    public static ChannelMask fromIndices(ChannelGraph graph, List<int[]> kept) {
        if (kept.size() != graph.groups().size()) {
            throw new IllegalArgumentException(
                    "Kept indices for " + kept.size() + " groups do not fit a graph of " + graph.groups().size());
        }
        boolean[][] keep = new boolean[kept.size()][];
        for (ChannelGroup group : graph.groups()) {
            keep[group.id()] = new boolean[group.size()];
            for (int index : kept.get(group.id())) {
                if (index < 0 || index >= group.size()) {
                    throw new IllegalArgumentException(
                            "Channel " + index + " does not exist in group " + group.id() + " of " + group.size());
                }
                keep[group.id()][index] = true;
            }
        }
        return of(graph, keep);
    }

    /**
     * Returns whether channel {@code channel} of group {@code group} is kept.
     *
     * @param group the group id
     * @param channel the channel
     * @return true when kept
     */
    public boolean isKept(int group, int channel) {
        return keep[group][channel];
    }

    /**
     * Returns a copy of the keep flags of a group.
     *
     * @param group the group id
     * @return the flags
     */
    public boolean[] keep(int group) {
        return keep[group].clone();
    }

    /**
     * Returns the kept channel indices of a group, ascending.
     *
     * @param group the group id
     * @return the indices
     */
    public int[] keptIndices(int group) {
        int[] indices = new int[count(keep[group])];
        int next = 0;
        for (int c = 0; c < keep[group].length; c++) {
            if (keep[group][c]) {
                indices[next++] = c;
            }
        }
        return indices;
    }

    /**
     * Returns the kept indices of every group.
     *
     * @return one array per group id
     */
    public List<int[]> keptIndices() {
        List<int[]> all = new ArrayList<>();
        for (int g = 0; g < keep.length; g++) {
            all.add(keptIndices(g));
        }
        return all;
    }

    /**
     * Returns the number of kept channels of a group.
     *
     * @param group the group id
     * @return the count
     */
    public int keptCount(int group) {
        return count(keep[group]);
    }

    /**
     * Returns the number of kept channels in {@code [start, start + count)} of a group.
     *
     * @param group the group id
     * @param start the first channel
     * @param count the run length
     * @return the kept count in the run
     */
    public int keptCount(int group, int start, int count) {
        int kept = 0;
        for (int c = start; c < start + count; c++) {
            kept += keep[group][c] ? 1 : 0;
        }
        return kept;
    }

    /**
     * Returns the number of groups.
     *
     * @return the group count
     */
    public int groupCount() {
        return keep.length;
    }

    private static int count(boolean[] flags) {
        int n = 0;
        for (boolean f : flags) {
            n += f ? 1 : 0;
        }
        return n;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ChannelMask other && Arrays.deepEquals(keep, other.keep);
    }

    @Override
    public int hashCode() {
        return Arrays.deepHashCode(keep);
    }

    @Override
    public String toString() {
        StringBuilder text = new StringBuilder("kept [");
        for (int g = 0; g < keep.length; g++) {
            text.append(g == 0 ? "" : ", ").append(keptCount(g)).append('/').append(keep[g].length);
        }
        return text.append(']').toString();
    }
}
