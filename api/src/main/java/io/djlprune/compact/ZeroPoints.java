package io.djlprune.compact;

import ai.djl.nn.Block;
import io.djlprune.graph.ChannelGraph;
import io.djlprune.graph.ChannelGroup;
import io.djlprune.graph.LayerNode;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The layers after which the masked model makes removed channels exactly 0, under a {@link MaskSemantics}: for each
 * such block (every use of it), the groups whose removed channels it zeroes.
 */
final class ZeroPoints {

    private final Map<Block, Set<Integer>> groupsAfter;

    private ZeroPoints(Map<Block, Set<Integer>> groupsAfter) {
        this.groupsAfter = groupsAfter;
    }

    static ZeroPoints of(ChannelGraph graph, MaskSemantics semantics) {
        Map<Block, Set<Integer>> after = new IdentityHashMap<>();
        for (ChannelGroup group : graph.prunableGroups()) {
            if (semantics == MaskSemantics.GATED) {
                // The same sites as io.djlprune.chipnet.GateSites (package-private there), so the reference is
                // exactly the gated network: after each BatchNorm of the group ...
                for (LayerNode bn : group.batchNorms()) {
                    add(after, bn.block(), group.id());
                }
            }
            for (LayerNode producer : group.producers()) {
                // ... and after each producer not followed by a BatchNorm of its own output.
                boolean intoBatchNorm = graph.soleBatchNormReader(producer).isPresent();
                if (semantics == MaskSemantics.ZEROED_PRODUCERS || !intoBatchNorm) {
                    add(after, producer.block(), group.id());
                }
            }
        }
        return new ZeroPoints(after);
    }

    private static void add(Map<Block, Set<Integer>> after, Block block, int group) {
        after.computeIfAbsent(block, b -> new TreeSet<>()).add(group);
    }

    /** The groups whose removed channels are 0 after every use of the block; empty if none. */
    Set<Integer> after(Block block) {
        return groupsAfter.getOrDefault(block, Set.of());
    }
}
