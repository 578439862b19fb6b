package io.djlprune.compact;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import io.djlprune.graph.LayerNode;
import io.djlprune.ops.UnsupportedBlockException;

/**
 * Activations, pooling, flatten, identity and dropout act on each channel alone and hold no parameters, so the
 * compact network uses the very same block. A block described as one of them but holding parameters (a PReLU taken
 * for a leaky ReLU, say) is refused: sharing it would tie the two networks' weights.
 */
final class StatelessReuse implements LayerSlicer {

    /** {@inheritDoc} */
    @Override
    public void check(LayerNode node) {
        if (!node.block().getParameters().isEmpty()) {
            throw new UnsupportedBlockException(
                    node.path(),
                    node.block().getClass().getName(),
                    "it is described as the stateless " + node.op() + " but holds parameters "
                            + node.block().getParameters().keys());
        }
    }

    /** {@inheritDoc} */
    @Override
    public Block slice(LayerNode node, SliceSpec spec, NDManager owner) {
        check(node);
        return node.block();
    }
}
