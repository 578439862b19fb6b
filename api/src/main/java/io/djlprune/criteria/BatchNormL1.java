package io.djlprune.criteria;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.djlprune.graph.ChannelGraph;
import io.djlprune.graph.ChannelGroup;
import io.djlprune.graph.LayerNode;
import io.djlprune.regularize.ChannelWeights;
import io.djlprune.regularize.Regularizer;
import java.util.ArrayList;
import java.util.List;

/**
 * Network Slimming's sparsity penalty: {@code Σ|γ|} over the BatchNorm scales of every prunable channel group.
 * BatchNorms of fixed groups are left alone, since their channels cannot be removed.
 */
public final class BatchNormL1 implements Regularizer {

    private final List<Scale> scales = new ArrayList<>();

    /**
     * Creates the penalty over the BatchNorms of a graph's prunable groups.
     *
     * @param graph the channel graph of an initialised network
     * @throws IllegalArgumentException if no prunable group passes through a BatchNorm
     */
    public BatchNormL1(ChannelGraph graph) {
        for (ChannelGroup group : graph.prunableGroups()) {
            for (LayerNode bn : group.batchNorms()) {
                scales.add(new Scale(bn, group));
            }
        }
        if (scales.isEmpty()) {
            throw new IllegalArgumentException(
                    "No prunable channel group passes through a BatchNorm: Network Slimming has no γ to make sparse");
        }
    }

    /** {@inheritDoc} */
    @Override
    public String getName() {
        return "bn_l1";
    }

    /** {@inheritDoc} */
    @Override
    public NDArray evaluate(NDManager manager) {
        try (NDManager scope = manager.newSubManager()) {
            ChannelWeights reader = new ChannelWeights(scope);
            NDArray total = null;
            for (Scale scale : scales) {
                NDArray l1 = reader.outputSums(scale.bn(), "gamma", scale.group(), NDArray::abs).sum();
                total = total == null ? l1 : total.add(l1);
            }
            return scope.ret(total);
        }
    }

    /** A BatchNorm and the group it normalises. */
    private record Scale(LayerNode bn, ChannelGroup group) {}
}
