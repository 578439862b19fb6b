package io.djlprune.ops;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.ParallelBlock;

/**
 * Tells what a DJL block computes. The channel graph, the cost model, the compactor and the TorchScript writer all
 * ask the same classifier, so they agree on every layer; a block it cannot prove is refused, never guessed.
 */
public interface OpClassifier {

    /**
     * Describes a leaf block: any block other than the containers {@code SequentialBlock} and {@code ParallelBlock}.
     *
     * @param block the initialised block
     * @param inputShape the shape of its single input, batch axis included
     * @param path the block's path in the tree (for example {@code "02/01/conv"}), used in error messages
     * @return what the block computes
     * @throws UnsupportedBlockException if the block's computation cannot be established
     */
    Op classify(Block block, Shape inputShape, String path);

    /**
     * Describes how a {@code ParallelBlock} merges its branches.
     *
     * @param block the initialised parallel block
     * @param branchOutputShapes the output shape of each branch, in order
     * @param path the block's path in the tree
     * @return the join
     * @throws UnsupportedBlockException if the join function is neither a sum nor a concatenation
     */
    JoinOp classifyJoin(ParallelBlock block, Shape[] branchOutputShapes, String path);
}
