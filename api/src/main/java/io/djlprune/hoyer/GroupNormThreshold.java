package io.djlprune.hoyer;

import io.djlprune.graph.ChannelGraph;
import io.djlprune.graph.ChannelGroup;
import io.djlprune.graph.ChannelMask;
import java.util.Arrays;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Structured DeepHoyer's threshold rule: removes every channel whose score (its group norm after training with
 * {@link GroupHoyerSquare}) is below a threshold, the structured counterpart of the reference's element-wise
 * threshold. Whole channels go, in every tied layer at once, so the result compacts. For a cost target instead of a
 * threshold, feed the same scores to {@link io.djlprune.mask.MaskSelector}.
 */
public final class GroupNormThreshold {

    private static final Logger logger = LoggerFactory.getLogger(GroupNormThreshold.class);

    private final float threshold;

    /**
     * Creates the rule.
     *
     * @param threshold channels scoring strictly below it are removed; ≥ 0
     * @throws IllegalArgumentException if the threshold is negative or not finite
     */
    public GroupNormThreshold(float threshold) {
        if (!(threshold >= 0) || !Float.isFinite(threshold)) {
            throw new IllegalArgumentException("The group norm threshold must be a finite number ≥ 0, got " + threshold);
        }
        this.threshold = threshold;
    }

    /**
     * Derives the mask. A group in which every channel is below the threshold keeps its best channel (logged as a
     * warning): removing all of them would cut the network in two.
     *
     * @param graph the graph
     * @param scores one score per channel of each prunable group id; fixed groups may be null
     * @return the mask; fixed groups are fully kept
     * @throws IllegalArgumentException if the scores do not fit the graph or contain NaN
     */
    public ChannelMask select(ChannelGraph graph, float[][] scores) {
        if (scores == null || scores.length != graph.groups().size()) {
            throw new IllegalArgumentException(
                    "Scores must have one array per group (" + graph.groups().size() + "), got "
                            + (scores == null ? "none" : scores.length));
        }
        boolean[][] keep = new boolean[scores.length][];
        for (ChannelGroup group : graph.groups()) {
            keep[group.id()] = new boolean[group.size()];
            if (!group.prunable()) {
                Arrays.fill(keep[group.id()], true);
                continue;
            }
            float[] s = scores[group.id()];
            if (s == null || s.length != group.size()) {
                throw new IllegalArgumentException(
                        "Group " + group.id() + " has " + group.size() + " channels but "
                                + (s == null ? "no" : s.length) + " scores");
            }
            int best = 0;
            boolean any = false;
            for (int c = 0; c < s.length; c++) {
                if (Float.isNaN(s[c])) {
                    throw new IllegalArgumentException("Group " + group.id() + " has a NaN score at channel " + c);
                }
                keep[group.id()][c] = s[c] >= threshold;
                any |= keep[group.id()][c];
                best = s[c] > s[best] ? c : best;
            }
            if (!any) {
                logger.warn(
                        "Every channel of group {} scores below {}; keeping its best channel {} so the network stays"
                                + " connected",
                        group.id(), threshold, best);
                keep[group.id()][best] = true;
            }
        }
        return ChannelMask.of(graph, keep);
    }
}
