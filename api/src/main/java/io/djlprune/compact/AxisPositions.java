package io.djlprune.compact;

import io.djlprune.graph.ChannelLayout;
import io.djlprune.graph.ChannelMask;
import io.djlprune.graph.Segment;
import java.util.Arrays;

/**
 * The channels laid along a tensor's axis 1, one entry per channel in axis order: its group, its index in the group,
 * and the features it occupies ({@code multiplier} of them from {@code firstFeature}; one for a map, H·W after a
 * flatten). Turns a {@link ChannelLayout} and a mask into the positions a slice keeps, concatenation offsets included.
 */
final class AxisPositions {

    private final int[] groups;
    private final int[] channels;
    private final long[] firstFeatures;
    private final long[] multipliers;

    private AxisPositions(int[] groups, int[] channels, long[] firstFeatures, long[] multipliers) {
        this.groups = groups;
        this.channels = channels;
        this.firstFeatures = firstFeatures;
        this.multipliers = multipliers;
    }

    static AxisPositions of(ChannelLayout layout) {
        int size = 0;
        for (Segment segment : layout.segments()) {
            size += segment.count();
        }
        int[] groups = new int[size];
        int[] channels = new int[size];
        long[] first = new long[size];
        long[] multipliers = new long[size];
        int i = 0;
        long feature = 0;
        for (Segment segment : layout.segments()) {
            for (int c = 0; c < segment.count(); c++, i++) {
                groups[i] = segment.group();
                channels[i] = segment.start() + c;
                first[i] = feature;
                multipliers[i] = segment.multiplier();
                feature += segment.multiplier();
            }
        }
        return new AxisPositions(groups, channels, first, multipliers);
    }

    int size() {
        return groups.length;
    }

    int group(int i) {
        return groups[i];
    }

    int channel(int i) {
        return channels[i];
    }

    long firstFeature(int i) {
        return firstFeatures[i];
    }

    long multiplier(int i) {
        return multipliers[i];
    }

    boolean removed(int i, ChannelMask mask) {
        return !mask.isKept(groups[i], channels[i]);
    }

    /** The kept channel positions along the axis, ascending. */
    long[] keptChannels(ChannelMask mask) {
        long[] kept = new long[size()];
        int n = 0;
        for (int i = 0; i < size(); i++) {
            if (!removed(i, mask)) {
                kept[n++] = i;
            }
        }
        return Arrays.copyOf(kept, n);
    }

    /** The kept feature positions along the axis, ascending: each kept channel's whole run of features. */
    long[] keptFeatures(ChannelMask mask) {
        long total = 0;
        for (int i = 0; i < size(); i++) {
            total += removed(i, mask) ? 0 : multipliers[i];
        }
        long[] kept = new long[Math.toIntExact(total)];
        int n = 0;
        for (int i = 0; i < size(); i++) {
            if (!removed(i, mask)) {
                for (long f = 0; f < multipliers[i]; f++) {
                    kept[n++] = firstFeatures[i] + f;
                }
            }
        }
        return kept;
    }

    /** The number of features on the axis. */
    long width() {
        return size() == 0 ? 0 : firstFeatures[size() - 1] + multipliers[size() - 1];
    }
}
