package io.djlprune.graph;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.IntUnaryOperator;

/**
 * Which channel group each position of a tensor's axis 1 belongs to, as consecutive {@link Segment}s. A plain conv
 * output is one segment of one group; a concatenation lays several side by side; a flatten widens each channel into
 * a block of features.
 *
 * @param segments the runs, in axis order
 */
public record ChannelLayout(List<Segment> segments) {

    /**
     * Creates a layout, copying the list.
     *
     * @param segments the runs, in axis order
     */
    public ChannelLayout {
        segments = List.copyOf(segments);
    }

    /**
     * Returns the layout of a tensor whose channels are all of one group.
     *
     * @param group the group id
     * @param size the group's channel count
     * @return the layout
     */
    public static ChannelLayout whole(int group, int size) {
        return new ChannelLayout(Collections.singletonList(new Segment(group, 0, size, 1)));
    }

    /**
     * Returns the total width of the axis.
     *
     * @return the number of positions
     */
    public long width() {
        long width = 0;
        for (Segment segment : segments) {
            width += segment.width();
        }
        return width;
    }

    /**
     * Returns the layout after flattening maps of {@code spatial} positions per channel.
     *
     * @param spatial H·W of the flattened map
     * @return the widened layout
     */
    public ChannelLayout flatten(long spatial) {
        List<Segment> result = new ArrayList<>();
        for (Segment s : segments) {
            result.add(new Segment(s.group(), s.start(), s.count(), s.multiplier() * spatial));
        }
        return new ChannelLayout(result);
    }

    /**
     * Returns the layouts laid side by side, as a concatenation along axis 1 makes them.
     *
     * @param parts the layouts in order
     * @return the concatenated layout
     */
    public static ChannelLayout concat(List<ChannelLayout> parts) {
        List<Segment> result = new ArrayList<>();
        for (ChannelLayout part : parts) {
            result.addAll(part.segments());
        }
        return new ChannelLayout(result);
    }

    /**
     * Returns the same layout with every group id mapped, for renumbering.
     *
     * @param mapping old id → new id
     * @return the mapped layout
     */
    public ChannelLayout mapGroups(IntUnaryOperator mapping) {
        List<Segment> result = new ArrayList<>();
        for (Segment s : segments) {
            result.add(new Segment(mapping.applyAsInt(s.group()), s.start(), s.count(), s.multiplier()));
        }
        return new ChannelLayout(result);
    }

    /**
     * Returns whether any run belongs to the group.
     *
     * @param group the group id
     * @return true when the group appears on the axis
     */
    public boolean contains(int group) {
        for (Segment s : segments) {
            if (s.group() == group) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        StringBuilder text = new StringBuilder("[");
        for (Segment s : segments) {
            if (text.length() > 1) {
                text.append(", ");
            }
            text.append('g').append(s.group()).append('[').append(s.start()).append(':').append(s.start() + s.count());
            text.append(']');
            if (s.multiplier() != 1) {
                text.append('×').append(s.multiplier());
            }
        }
        return text.append(']').toString();
    }
}
