package io.djlprune.chipnet;

import ai.djl.nn.Block;
import io.djlprune.graph.ChannelGraph;
import io.djlprune.graph.ChannelGroup;
import io.djlprune.graph.LayerNode;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * Where the gates of each prunable group go: after every BatchNorm of the group (so a BN's β cannot leak through a
 * removed channel, also after a depthwise layer), and after every producer whose output does not go straight into a
 * BatchNorm (so no path carries a removed channel ungated). With these sites, masking a channel through its gates equals
 * zeroing its producing weights, biases and BN affine parameters.
 */
final class GateSites {

    private GateSites() {}

    /**
     * Maps each block after which a gate goes to the prunable group id of the channels it gates.
     *
     * @param graph the graph
     * @return site block → group id, by identity
     */
    static Map<Block, Integer> of(ChannelGraph graph) {
        Map<Block, Integer> sites = new IdentityHashMap<>();
        for (ChannelGroup group : graph.prunableGroups()) {
            for (LayerNode bn : group.batchNorms()) {
                sites.put(bn.block(), group.id());
            }
            for (LayerNode producer : group.producers()) {
                boolean intoBatchNorm = graph.soleBatchNormReader(producer).isPresent();
                if (!intoBatchNorm) {
                    sites.put(producer.block(), group.id());
                }
            }
        }
        return sites;
    }
}
