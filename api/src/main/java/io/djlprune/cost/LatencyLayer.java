package io.djlprune.cost;

import java.util.List;

/**
 * One part of a network whose time a {@link LatencyTable} measures as a function of its kept input and output
 * channels: a prunable layer together with the neighbours that shrink with it once the network is compacted (a
 * convolution with the BatchNorm and activation that read only its output), at the input size it has in the network.
 *
 * @param layer the index of the main layer in the graph's execution order
 * @param neighbours the indices of the layers timed with it (its BatchNorm, its activation), in execution order
 * @param kind what the main layer is
 * @param inWidth the full width of its input axis: channels, or features of a flattened map for a linear layer
 * @param outWidth the full width of its output axis
 * @param signature a text that is equal for two layers exactly when they time the same (ops, shapes, neighbours), so
 *     a table measures each distinct layer once
 */
public record LatencyLayer(
        int layer, List<Integer> neighbours, Kind kind, long inWidth, long outWidth, String signature) {

    /** What the main layer of a {@link LatencyLayer} is, which says how its time depends on its channels. */
    public enum Kind {
        /** A convolution (groups 1): time of (kept inputs, kept outputs). */
        CONV,
        /** A linear layer: time of (kept input features, kept outputs). */
        LINEAR,
        /**
         * A per-channel layer whose channels are its inputs and outputs at once (a depthwise convolution, a
         * BatchNorm no convolution owns): time of the kept channels, tabulated along the output axis.
         */
        CHANNELWISE
    }

    /**
     * Creates a layer, copying the neighbours.
     *
     * @param layer the main layer's index
     * @param neighbours the indices of the layers timed with it
     * @param kind what the main layer is
     * @param inWidth the full input width
     * @param outWidth the full output width
     * @param signature what makes two layers time the same
     */
    public LatencyLayer {
        neighbours = List.copyOf(neighbours);
        if (inWidth < 1 || outWidth < 1) {
            throw new IllegalArgumentException("A timed layer has at least one input and output channel, got "
                    + inWidth + " → " + outWidth);
        }
    }
}
