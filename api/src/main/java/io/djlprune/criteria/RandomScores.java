package io.djlprune.criteria;

import io.djlprune.graph.ChannelGraph;
import io.djlprune.graph.ChannelGroup;
import java.util.Random;

/**
 * Uniform random channel scores from a seed: the sanity floor every criterion must beat at the same budget. The same
 * seed and graph always give the same scores.
 */
public final class RandomScores implements ChannelScorer {

    private final long seed;

    /**
     * Creates the criterion.
     *
     * @param seed the seed
     */
    public RandomScores(long seed) {
        this.seed = seed;
    }

    /** {@inheritDoc} */
    @Override
    public String getName() {
        return "random";
    }

    /** {@inheritDoc} */
    @Override
    public float[][] score(ChannelGraph graph) {
        if (graph.prunableGroups().isEmpty()) {
            throw new IllegalArgumentException("The network has no prunable channel group to score");
        }
        Random random = new Random(seed);
        float[][] scores = new float[graph.groups().size()][];
        for (ChannelGroup group : graph.prunableGroups()) {
            scores[group.id()] = new float[group.size()];
            for (int c = 0; c < group.size(); c++) {
                scores[group.id()][c] = random.nextFloat();
            }
        }
        return scores;
    }
}
