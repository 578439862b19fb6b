package io.djlprune.compact;

import ai.djl.nn.Block;
import io.djlprune.graph.ChannelGraph;
import io.djlprune.graph.LayerNode;

/**
 * Steps through a graph's layers in execution order while a walk of the block tree visits its leaves, and checks at
 * each step that the graph describes this very tree: same block, same path.
 */
final class LeafCursor {

    private final ChannelGraph graph;
    private int next;

    LeafCursor(ChannelGraph graph) {
        this.graph = graph;
    }

    LayerNode next(Block block, String path) {
        if (next >= graph.layers().size()) {
            throw mismatch(
                    "the tree has a leaf '" + path + "' beyond the graph's " + graph.layers().size() + " layers");
        }
        LayerNode node = graph.layers().get(next++);
        if (node.block() != block || !node.path().equals(path)) {
            throw mismatch("leaf '" + path + "' is '" + node.path() + "' (" + node.block().getClass().getSimpleName()
                    + ") in the graph");
        }
        return node;
    }

    void finish() {
        if (next != graph.layers().size()) {
            throw mismatch("the tree ended after " + next + " of the graph's " + graph.layers().size() + " layers");
        }
    }

    private static IllegalArgumentException mismatch(String detail) {
        return new IllegalArgumentException("The channel graph was not built from this block: " + detail);
    }
}
