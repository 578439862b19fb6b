package io.djlprune.cost;

import io.djlprune.graph.ChannelGraph;
import io.djlprune.graph.ChannelMask;

/**
 * Prepares what a {@link LatencyTableBuilder} times: one layer compacted to given widths, and the whole network compacted
 * to a mask, each as a {@link Forward} the builder runs round after round, interleaved with the others of its kind. The engine's
 * implementation builds real blocks on the device (engine-ops' {@code LibTorchLayerTimer}); tests give a deterministic
 * one.
 */
public interface LayerTimer {

    /** One prepared forward, run many times and closed when the table is built. */
    interface Forward extends AutoCloseable {

        /**
         * Runs one forward of a batch, waits for its result and returns how long it took.
         *
         * @return milliseconds
         */
        double millis();

        /** Frees what the forward holds. */
        @Override
        void close();
    }

    /**
     * Prepares the forward of a layer (with its neighbours) built with the given widths.
     *
     * @param graph the graph the layer belongs to
     * @param layer the layer
     * @param in the kept input width (channels, or features for a linear layer); for a per-channel layer equal to out
     * @param out the kept output width
     * @return the forward
     */
    Forward layer(ChannelGraph graph, LatencyLayer layer, long in, long out);

    /**
     * Prepares the forward of the whole network compacted to a mask; the full mask is the dense network itself.
     *
     * @param graph the network's graph
     * @param mask the channels to keep
     * @return the forward
     */
    Forward network(ChannelGraph graph, ChannelMask mask);
}
