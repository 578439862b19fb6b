package io.djlprune.criteria;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import io.djlprune.graph.ChannelGraph;
import io.djlprune.graph.ChannelGroup;
import io.djlprune.regularize.ChannelWeights;
import java.util.function.BiFunction;

/** Runs a per-group score expression over every prunable group in one scope and reads the results back. */
final class GroupScores {

    private GroupScores() {}

    /**
     * Scores each prunable group with an expression of its weights.
     *
     * @param graph the graph
     * @param expression the channel scores of one group, shape {@code (C)}
     * @return one array per group id, null for fixed groups
     * @throws IllegalArgumentException if the graph has no prunable group
     */
    static float[][] of(ChannelGraph graph, BiFunction<ChannelWeights, ChannelGroup, NDArray> expression) {
        if (graph.prunableGroups().isEmpty()) {
            throw new IllegalArgumentException("The network has no prunable channel group to score");
        }
        float[][] scores = new float[graph.groups().size()][];
        ChannelGroup first = graph.prunableGroups().get(0);
        if (first.producers().isEmpty()) {
            throw new IllegalArgumentException("Prunable group " + first.id() + " has no producing layer");
        }
        // the scope hangs under the parameters' own manager, so it is on their device
        NDArray anchor = ChannelWeights.parameter(first.producers().get(0), "weight").getArray();
        try (NDManager scope = NDManager.subManagerOf(anchor)) {
            ChannelWeights reader = new ChannelWeights(scope);
            for (ChannelGroup group : graph.prunableGroups()) {
                NDArray values = expression.apply(reader, group);
                scores[group.id()] = values.toType(DataType.FLOAT32, false).toFloatArray();
            }
        }
        return scores;
    }
}
