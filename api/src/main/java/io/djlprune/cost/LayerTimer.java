package io.djlprune.cost;

import io.djlprune.graph.ChannelGraph;

/**
 * Measures what a {@link LatencyTableBuilder} tabulates: one layer compacted to given widths, and the whole dense
 * network. The engine's implementation times real blocks on the device (engine-ops' {@code LibTorchLayerTimer}); tests
 * give a deterministic one.
 */
public interface LayerTimer {

    /**
     * Returns the time of one forward of a layer (with its neighbours) built with the given widths.
     *
     * @param graph the graph the layer belongs to
     * @param layer the layer
     * @param in the kept input width (channels, or features for a linear layer); for a per-channel layer equal to out
     * @param out the kept output width
     * @return milliseconds
     */
    double layerMillis(ChannelGraph graph, LatencyLayer layer, long in, long out);

    /**
     * Returns the time of one forward of the whole dense network.
     *
     * @param graph the network's graph
     * @return milliseconds
     */
    double networkMillis(ChannelGraph graph);
}
