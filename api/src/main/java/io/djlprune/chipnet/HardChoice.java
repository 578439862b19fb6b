package io.djlprune.chipnet;

import io.djlprune.graph.ChannelGraph;
import io.djlprune.graph.ChannelMask;

/**
 * A hard mask as the {@link Pruner} chooses it from the soft gates, and the two ways it puts one on the network: for
 * a validation only, or for good.
 *
 * @param mask the channels to keep
 * @param psi the ψ that ranked the channels, one array per group id (null for fixed groups)
 * @param factors the kept channels' soft values z when they keep their soft scale; null when they pass at 1 or z is
 *     already folded into the weights
 */
record HardChoice(ChannelMask mask, float[][] psi, float[][] factors) {

    /**
     * Switches the gates to the mask, kept channels at their factors, leaving the weights as they are.
     *
     * @param network the gated network
     */
    void apply(GatedNetwork network) {
        if (factors != null) {
            network.applyHardMask(mask, factors);
        } else {
            network.applyHardMask(mask);
        }
    }

    /**
     * Switches the gates to the mask for good: the factors folded into the weights, the gates 0/1.
     *
     * @param network the gated network
     */
    void makePermanent(GatedNetwork network) {
        if (factors != null) {
            network.foldHardMask(mask, factors);
        } else {
            network.applyHardMask(mask);
        }
    }

    /**
     * Returns this choice after {@link #makePermanent}: the same mask and ψ, no factors left to apply.
     *
     * @return the folded choice
     */
    HardChoice folded() {
        return new HardChoice(mask, psi, null);
    }

    /**
     * Returns the kept channels of every prunable group, in the graph's order, as records and log lines show them.
     *
     * @param graph the graph the mask is of
     * @return the kept counts
     */
    int[] keptOfPrunable(ChannelGraph graph) {
        return graph.prunableGroups().stream().mapToInt(g -> mask.keptCount(g.id())).toArray();
    }
}
