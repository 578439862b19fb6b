package io.djlprune.compact;

import io.djlprune.graph.ChannelMask;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * What each channel on a tensor's axis 1 holds in the masked model: a constant that fills the channel's whole map
 * (for example 0 right after a gate, 0.5 after a sigmoid of it), or {@code NaN} when it is not one constant: it
 * varies with the input, or across the map (zero padding met a constant). Kept channels always count as varying; only
 * removed channels can be constant. Immutable.
 */
final class ChannelValues {

    private final double[] values;

    private ChannelValues(double[] values) {
        this.values = values;
    }

    static ChannelValues varying(int channels) {
        double[] values = new double[channels];
        Arrays.fill(values, Double.NaN);
        return new ChannelValues(values);
    }

    static ChannelValues of(double[] values) {
        return new ChannelValues(values.clone());
    }

    int size() {
        return values.length;
    }

    double get(int channel) {
        return values[channel];
    }

    boolean isConstant(int channel) {
        return !Double.isNaN(values[channel]);
    }

    boolean allVarying() {
        for (double v : values) {
            if (!Double.isNaN(v)) {
                return false;
            }
        }
        return true;
    }

    /** Returns these values with the removed channels of the given groups set to exactly 0, as a gate leaves them. */
    ChannelValues zeroRemoved(AxisPositions axis, ChannelMask mask, Set<Integer> groups) {
        double[] result = values.clone();
        for (int i = 0; i < result.length; i++) {
            if (groups.contains(axis.group(i)) && axis.removed(i, mask)) {
                result[i] = 0;
            }
        }
        return new ChannelValues(result);
    }

    /** The channels of an element-wise sum: constant where every addend is constant. */
    static ChannelValues sum(List<ChannelValues> addends) {
        double[] result = addends.get(0).values.clone();
        for (ChannelValues addend : addends.subList(1, addends.size())) {
            requireSameSize(addends.get(0), addend);
            for (int i = 0; i < result.length; i++) {
                result[i] += addend.values[i]; // NaN, the varying mark, absorbs any sum
            }
        }
        return new ChannelValues(result);
    }

    /** The channels of a concatenation along axis 1, in order. */
    static ChannelValues concat(List<ChannelValues> parts) {
        double[] result = new double[parts.stream().mapToInt(ChannelValues::size).sum()];
        int offset = 0;
        for (ChannelValues part : parts) {
            System.arraycopy(part.values, 0, result, offset, part.size());
            offset += part.size();
        }
        return new ChannelValues(result);
    }

    /**
     * The channels of a concatenation along another axis: a channel stays constant only if every part holds the same
     * constant in it.
     */
    static ChannelValues agree(List<ChannelValues> parts) {
        double[] result = parts.get(0).values.clone();
        for (ChannelValues part : parts.subList(1, parts.size())) {
            requireSameSize(parts.get(0), part);
            for (int i = 0; i < result.length; i++) {
                if (Double.compare(result[i], part.values[i]) != 0) {
                    result[i] = Double.NaN;
                }
            }
        }
        return new ChannelValues(result);
    }

    private static void requireSameSize(ChannelValues a, ChannelValues b) {
        if (a.size() != b.size()) {
            throw new IllegalStateException("Joined branches carry " + a.size() + " and " + b.size() + " channels");
        }
    }

    /** {@inheritDoc} */
    @Override
    public String toString() {
        return Arrays.toString(values);
    }
}
