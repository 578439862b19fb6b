package io.djlprune.compact;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import io.djlprune.graph.LayerNode;

/**
 * The rule that shrinks one kind of layer: builds the smaller block and gives it the kept slices of the original's
 * parameters.
 */
interface LayerSlicer {

    /**
     * Checks that this rule applies to the layer's block, before anything runs or is built.
     *
     * @param node the original layer
     * @throws io.djlprune.ops.UnsupportedBlockException if the block is not one this rule can rebuild exactly
     */
    void check(LayerNode node);

    /**
     * Builds the smaller layer. The original block is only read.
     *
     * @param node the original layer
     * @param spec what it keeps
     * @param owner the manager the new parameter arrays are attached to
     * @return a block whose parameters are all set (so initialising it keeps them), or the original if stateless
     */
    Block slice(LayerNode node, SliceSpec spec, NDManager owner);
}
