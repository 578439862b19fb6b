package io.djlprune.compact;

/**
 * One correction compaction made so that removing channels is exact: removed channels that carry a constant into a
 * consumer add {@code Σ W·v} to each of its outputs, which is folded into the consumer's bias or, when it has none,
 * into the running mean of the BatchNorm that takes its output.
 *
 * @param consumer the path of the convolution or linear layer the constants flow into
 * @param target the path of the layer whose parameter absorbs them
 * @param kind which parameter absorbs them
 * @param channels how many removed input channels carried a non-zero constant
 * @param maxShift the largest absolute shift applied to one output
 */
public record LeakFold(String consumer, String target, Kind kind, int channels, double maxShift) {

    /** The parameter a leak is folded into. */
    public enum Kind {
        /** Added to the consumer's bias. */
        BIAS,
        /**
         * Subtracted from the running mean of the BatchNorm right after the consumer: BN(x + δ) with mean μ equals
         * BN(x) with mean μ − δ.
         */
        RUNNING_MEAN
    }

    /** {@inheritDoc} */
    @Override
    public String toString() {
        return String.format(
                "%s: %d removed channel(s) folded into %s of %s (max shift %.3g)",
                consumer, channels, kind == Kind.BIAS ? "the bias" : "the running mean", target, maxShift);
    }
}
