package io.djlprune.testing;

import io.djlprune.graph.ChannelGraph;
import io.djlprune.graph.ChannelGroup;
import java.util.Random;

/** Per-channel test values in the layout scores and ψ use: one array per prunable group, null for fixed groups. */
public final class ChannelValues {

    private ChannelValues() {}

    /**
     * Draws one standard-normal value per channel of every prunable group.
     *
     * @param graph the graph
     * @param random the source of the draws
     * @return values by group id; fixed groups are null
     */
    public static float[][] gaussian(ChannelGraph graph, Random random) {
        float[][] values = new float[graph.groups().size()][];
        for (ChannelGroup group : graph.prunableGroups()) {
            values[group.id()] = new float[group.size()];
            for (int c = 0; c < group.size(); c++) {
                values[group.id()][c] = (float) random.nextGaussian();
            }
        }
        return values;
    }
}
