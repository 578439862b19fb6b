package io.djlprune.cli;

import ai.djl.training.loss.Loss;
import io.djlprune.criteria.BatchNormScale;
import io.djlprune.criteria.ChannelScorer;
import io.djlprune.criteria.GroupLasso;
import io.djlprune.criteria.GroupNormScore;
import io.djlprune.criteria.L1FilterNorm;
import io.djlprune.criteria.RandomScores;
import io.djlprune.criteria.SlimmingRegularizedLoss;
import io.djlprune.graph.ChannelGraph;
import io.djlprune.hoyer.HoyerRegularizedLoss;
import io.djlprune.hoyer.HoyerVariant;
import java.util.Locale;

/**
 * The pruning methods of {@code djl-prune prune --method}: ChipNet learns gates; the others score channels (after a
 * sparsity-regularised training phase where the method has one) and hand the scores to the same budget-exact
 * selector, compactor and exporter.
 */
enum PruningMethod {
    /** ChipNet: learned gates with a budget term (ALGORITHMS.md §1). */
    CHIPNET("chipnet"),
    /** Structured DeepHoyer: Group-HS on filters and channels, then channels ranked by group norm. */
    GROUP_HS("group-hs"),
    /** Element-wise DeepHoyer: HS on every weight, then channels ranked by group norm of the sparse weights. */
    HS("hs"),
    /** L1-norm filters (Li et al. 2017), one shot on the pretrained weights. */
    L1("l1"),
    /** Network Slimming (Liu et al. 2017): L1 on BatchNorm γ while training, channels ranked by |γ|. */
    SLIMMING("slimming"),
    /** Group lasso / SSL (Wen et al. 2016): Σ‖w_g‖₂ while training, channels ranked by group norm. */
    GROUP_LASSO("group-lasso"),
    /** Random channels at the same budget: the sanity floor. */
    RANDOM("random");

    private final String key;

    PruningMethod(String key) {
        this.key = key;
    }

    String key() {
        return key;
    }

    static PruningMethod parse(String text) {
        String value = text.toLowerCase(Locale.ROOT);
        for (PruningMethod method : values()) {
            if (method.key.equals(value)) {
                return method;
            }
        }
        throw new IllegalArgumentException(
                "Unknown method '" + text + "': use chipnet, group-hs, hs, l1, slimming, group-lasso or random");
    }

    /** Whether the method trains with a sparsity regulariser before scoring. */
    boolean regularized() {
        return this == GROUP_HS || this == HS || this == SLIMMING || this == GROUP_LASSO;
    }

    /**
     * Returns the regularised training loss.
     *
     * @param graph the dense network's graph
     * @param alpha the DeepHoyer weight α
     * @param lambda the slimming / group-lasso weight λ
     * @return the loss
     */
    Loss trainingLoss(ChannelGraph graph, float alpha, float lambda) {
        Loss base = Loss.softmaxCrossEntropyLoss();
        switch (this) {
            case GROUP_HS:
                return HoyerRegularizedLoss.builder().setGraph(graph).optVariant(HoyerVariant.GROUP).optAlpha(alpha).build();
            case HS:
                return HoyerRegularizedLoss.builder().setGraph(graph).optVariant(HoyerVariant.ELEMENTWISE).optAlpha(alpha).build();
            case SLIMMING:
                return new SlimmingRegularizedLoss(graph, base, lambda);
            case GROUP_LASSO:
                return new GroupLasso(graph).newLoss(base, lambda);
            default:
                throw new IllegalStateException(key + " has no regularised training phase");
        }
    }

    /**
     * Returns the channel scorer.
     *
     * @param graph the graph
     * @param seed the seed (random scores)
     * @return the scorer
     */
    ChannelScorer scorer(ChannelGraph graph, long seed) {
        switch (this) {
            case GROUP_HS:
            case HS:
                return new GroupNormScore(false);
            case L1:
                return new L1FilterNorm();
            case SLIMMING:
                return new BatchNormScale();
            case GROUP_LASSO:
                return new GroupLasso(graph);
            case RANDOM:
                return new RandomScores(seed);
            default:
                throw new IllegalStateException(key + " does not score channels");
        }
    }
}
