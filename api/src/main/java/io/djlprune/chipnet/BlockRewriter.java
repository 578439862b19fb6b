package io.djlprune.chipnet;

import ai.djl.nn.Block;
import ai.djl.nn.ParallelBlock;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.util.Pair;
import io.djlprune.gate.Gate;
import io.djlprune.graph.ParallelBlocks;
import io.djlprune.ops.BatchNormOp;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Rebuilds the containers of a block tree with a gate after chosen leaves, sharing every original leaf (and so its
 * trained parameters). A gate after a BatchNorm is joined with it into a {@link GatedBatchNorm}. The original tree is
 * left unchanged.
 */
final class BlockRewriter {

    private final Map<Block, Gate> after;
    private final Map<Block, BatchNormOp> batchNorms;

    /**
     * Creates a rewriter.
     *
     * @param after leaf → the gate to insert right after it (by identity)
     * @param batchNorms the leaves among them that are DJL BatchNorms over axis 1, with their descriptions
     */
    BlockRewriter(Map<Block, Gate> after, Map<Block, BatchNormOp> batchNorms) {
        this.after = after;
        this.batchNorms = batchNorms;
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
        Gate gate = after.get(block);
        if (gate == null) {
            return rebuilt;
        }
        BatchNormOp batchNorm = batchNorms.get(block);
        return batchNorm != null
                ? new GatedBatchNorm((BatchNorm) block, batchNorm, gate)
                : new SequentialBlock().add(rebuilt).add(gate);
    }

    private static String join(String parent, String child) {
        return parent.isEmpty() ? child : parent + "/" + child;
    }
}
