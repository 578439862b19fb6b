package io.djlprune.compact;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.ParallelBlock;
import ai.djl.nn.SequentialBlock;
import ai.djl.util.Pair;
import io.djlprune.graph.ChannelGraph;
import io.djlprune.graph.ChannelMask;
import io.djlprune.graph.LayerNode;
import io.djlprune.graph.ParallelBlocks;
import io.djlprune.ops.Conv2dOp;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Rebuilds the container structure of a network with every leaf replaced by its sliced version: a new
 * {@code SequentialBlock} per sequential block, a new {@code ParallelBlock} with the same join function per parallel
 * block. A leaf used at several places becomes one new leaf used at the same places, so its weights stay shared.
 */
final class TreeRebuilder {

    private final ChannelMask mask;
    private final FoldPlan plan;
    private final NDManager owner;
    private final LeafCursor cursor;
    private final Map<Block, Block> rebuilt = new IdentityHashMap<>();
    private final List<LayerChange> changes = new ArrayList<>();

    TreeRebuilder(ChannelGraph graph, ChannelMask mask, FoldPlan plan, NDManager owner) {
        this.mask = mask;
        this.plan = plan;
        this.owner = owner;
        this.cursor = new LeafCursor(graph);
    }

    Block rebuild(Block dense) {
        Block compact = walk(dense, "");
        cursor.finish();
        return compact;
    }

    List<LayerChange> changes() {
        return List.copyOf(changes);
    }

    private Block walk(Block block, String path) {
        switch (Containers.kind(block, path)) {
            case SEQUENTIAL:
                SequentialBlock sequence = new SequentialBlock();
                for (Pair<String, Block> child : block.getChildren()) {
                    sequence.add(walk(child.getValue(), Containers.join(path, child.getKey())));
                }
                return sequence;
            case PARALLEL:
                List<Block> branches = new ArrayList<>();
                for (Pair<String, Block> child : block.getChildren()) {
                    branches.add(walk(child.getValue(), Containers.join(path, child.getKey())));
                }
                return new ParallelBlock(ParallelBlocks.joinFunction((ParallelBlock) block, path), branches);
            default:
                return leaf(cursor.next(block, path));
        }
    }

    private Block leaf(LayerNode node) {
        Block done = rebuilt.get(node.block());
        if (done != null) {
            return done;
        }
        SliceSpec spec = SliceSpec.of(node, mask, plan);
        Block slice = Slicers.of(node).slice(node, spec, owner);
        rebuilt.put(node.block(), slice);
        if (slice != node.block()) {
            changes.add(
                    new LayerChange(
                            node.path(), kind(node), AxisPositions.of(node.input()).width(), spec.keptIn().length,
                            AxisPositions.of(node.output()).size(), spec.keptOut().length));
        }
        return slice;
    }

    private static String kind(LayerNode node) {
        String kind = node.block().getClass().getSimpleName();
        if (node.op() instanceof Conv2dOp conv && conv.isDepthwise()) {
            return "depthwise " + kind;
        }
        return kind;
    }
}
