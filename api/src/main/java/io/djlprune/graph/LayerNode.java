package io.djlprune.graph;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import io.djlprune.ops.Op;

/**
 * One use of a leaf block in the network, in execution order, with the channel layouts of its input and output.
 *
 * @param index the position in execution order
 * @param source the index of the layer whose output this layer reads, or −1 when it reads the network input or the
 *     output of a join
 * @param path the block's path in the tree, e.g. {@code "03SequentialBlock/01Conv2d"}
 * @param block the DJL block
 * @param op what it computes
 * @param inputShape the input shape (batch axis included)
 * @param outputShape the output shape
 * @param input the channel layout of the input's axis 1
 * @param output the channel layout of the output's axis 1
 */
public record LayerNode(
        int index,
        int source,
        String path,
        Block block,
        Op op,
        Shape inputShape,
        Shape outputShape,
        ChannelLayout input,
        ChannelLayout output) {

    /**
     * Returns the number of output positions per channel: H·W for a map, 1 for a vector.
     *
     * @return the spatial size of the output
     */
    public long outputSpatial() {
        long spatial = 1;
        for (int axis = 2; axis < outputShape.dimension(); axis++) {
            spatial *= outputShape.get(axis);
        }
        return spatial;
    }

    @Override
    public String toString() {
        return path + " (" + op.getClass().getSimpleName().replace("Op", "") + ")";
    }
}
