package io.djlprune.hoyer;

/**
 * Which weights element-wise pruning zeroes, decided when the cut is made: a fixed {@link MagnitudeThreshold}, or a
 * count of weights to keep, turned into a threshold on the weights as they are after the regularised training (one
 * global magnitude cut, or one cut on each weight's magnitude over its tensor's standard deviation). Immutable.
 *
 * <pre>{@code
 * MagnitudeThreshold threshold = WeightCut.keepingAtMost(20_000).resolve(new WeightPruner(graph));
 * }</pre>
 */
public final class WeightCut {

    private final MagnitudeThreshold fixed;
    private final long count;
    private final boolean relativeToStd;

    private WeightCut(MagnitudeThreshold fixed, long count, boolean relativeToStd) {
        this.fixed = fixed;
        this.count = count;
        this.relativeToStd = relativeToStd;
    }

    /**
     * Zeroes the weights below a fixed threshold.
     *
     * @param threshold e.g. {@code MagnitudeThreshold.absolute(1e-3f)}, the reference's MNIST value
     * @return the cut
     * @throws IllegalArgumentException if the threshold is null
     */
    public static WeightCut below(MagnitudeThreshold threshold) {
        if (threshold == null) {
            throw new IllegalArgumentException("The threshold of a weight cut must not be null");
        }
        return new WeightCut(threshold, 0, false);
    }

    /**
     * Keeps at most {@code count} convolution and linear weights: one global magnitude cut ({@link
     * WeightPruner#thresholdKeepingAtMost}).
     *
     * @param count ≥ 1
     * @return the cut
     * @throws IllegalArgumentException if {@code count < 1}
     */
    public static WeightCut keepingAtMost(long count) {
        return new WeightCut(null, requirePositive(count), false);
    }

    /**
     * Keeps at most {@code count} convolution and linear weights, ranked by {@code |w| / std(W)} so each layer is cut
     * relative to its own scale ({@link WeightPruner#stdMultipleKeepingAtMost}).
     *
     * @param count ≥ 1
     * @return the cut
     * @throws IllegalArgumentException if {@code count < 1}
     */
    public static WeightCut keepingAtMostByStd(long count) {
        return new WeightCut(null, requirePositive(count), true);
    }

    private static long requirePositive(long count) {
        if (count < 1) {
            throw new IllegalArgumentException("A weight cut must keep at least one weight, got a count of " + count);
        }
        return count;
    }

    /**
     * Returns whether the threshold is fixed in advance rather than chosen from the weights.
     *
     * @return true for {@link #below}
     */
    public boolean isFixed() {
        return fixed != null;
    }

    /**
     * Turns the cut into a threshold on the weights the pruner sees now.
     *
     * @param pruner the pruner of the network to cut
     * @return the threshold to prune with
     * @throws IllegalArgumentException if a count relative to the std meets a tensor with equal non-zero entries only
     */
    public MagnitudeThreshold resolve(WeightPruner pruner) {
        if (fixed != null) {
            return fixed;
        }
        return relativeToStd
                ? pruner.stdMultipleKeepingAtMost(count)
                : MagnitudeThreshold.absolute(pruner.thresholdKeepingAtMost(count));
    }

    @Override
    public String toString() {
        if (fixed != null) {
            return fixed.toString();
        }
        return "at most " + count + " weights" + (relativeToStd ? " by |w| / std(W)" : " by |w|");
    }
}
