package io.djlprune.chipnet;

import ai.djl.nn.Block;
import ai.djl.nn.ParallelBlock;
import ai.djl.nn.SequentialBlock;
import ai.djl.util.Pair;
import io.djlprune.graph.ParallelBlocks;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Rebuilds the containers of a block tree with an extra block after chosen leaves, sharing every original leaf (and so
 * its trained parameters). Used to insert gates; the original tree is left unchanged.
 */
final class BlockRewriter {

    private final Map<Block, Block> after;

    /**
     * Creates a rewriter.
     *
     * @param after leaf → the block to insert right after it (by identity)
     */
    BlockRewriter(Map<Block, Block> after) {
        this.after = after;
    }

    Block rewrite(Block block, String path) {
        Block rebuilt;
        if (block instanceof SequentialBlock) {
            SequentialBlock sequence = new SequentialBlock();
            for (Pair<String, Block> child : block.getChildren()) {
                sequence.add(rewrite(child.getValue(), join(path, child.getKey())));
            }
            rebuilt = sequence;
        } else if (block instanceof ParallelBlock parallel) {
            List<Block> branches = new ArrayList<>();
            for (Pair<String, Block> child : block.getChildren()) {
                branches.add(rewrite(child.getValue(), join(path, child.getKey())));
            }
            rebuilt = new ParallelBlock(ParallelBlocks.joinFunction(parallel, path), branches);
        } else {
            rebuilt = block;
        }
        Block next = after.get(block);
        return next == null ? rebuilt : new SequentialBlock().add(rebuilt).add(next);
    }

    private static String join(String parent, String child) {
        return parent.isEmpty() ? child : parent + "/" + child;
    }
}
