package io.djlprune.hoyer;

import ai.djl.training.loss.Loss;
import io.djlprune.graph.ChannelGraph;
import io.djlprune.regularize.RegularizedLoss;
import io.djlprune.regularize.Regularizer;

/**
 * DeepHoyer's training objective as a DJL {@link Loss}: {@code L = base + α · R(W)} with R the element-wise
 * {@link HoyerSquare} or the structured {@link GroupHoyerSquare}. The reference uses one global α = 1e-3 together
 * with an L2 weight decay of 1e-4 (set the decay on the optimiser). R itself is a training metric through
 * {@link #regularizerMetric()}.
 *
 * <pre>
 * HoyerRegularizedLoss loss = HoyerRegularizedLoss.builder().setGraph(graph).optAlpha(1e-3f).build();
 * DefaultTrainingConfig config = new DefaultTrainingConfig(loss).addEvaluator(loss.regularizerMetric());
 * </pre>
 */
public final class HoyerRegularizedLoss extends RegularizedLoss {

    /** The reference implementation's α. */
    public static final float DEFAULT_ALPHA = 1e-3f;

    private final HoyerVariant variant;

    private HoyerRegularizedLoss(Builder builder, Regularizer regularizer) {
        super("HoyerRegularizedLoss", builder.base, regularizer, builder.alpha, "α");
        this.variant = builder.variant;
    }

    /**
     * Creates a builder: Group-HS, α = 1e-3, softmax cross-entropy.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Returns which regulariser the loss adds.
     *
     * @return the variant
     */
    public HoyerVariant getVariant() {
        return variant;
    }

    /** Configures a {@link HoyerRegularizedLoss}. */
    public static final class Builder {
        private ChannelGraph graph;
        private HoyerVariant variant = HoyerVariant.GROUP;
        private float alpha = DEFAULT_ALPHA;
        private float epsilon = GroupHoyerSquare.DEFAULT_EPSILON;
        private Loss base = Loss.softmaxCrossEntropyLoss();

        Builder() {}

        /**
         * Sets the channel graph of the network to regularise.
         *
         * @param graph the graph of an initialised network
         * @return this builder
         */
        public Builder setGraph(ChannelGraph graph) {
            this.graph = graph;
            return this;
        }

        /**
         * Sets the regulariser (default {@link HoyerVariant#GROUP}).
         *
         * @param variant element-wise or group
         * @return this builder
         */
        public Builder optVariant(HoyerVariant variant) {
            this.variant = variant;
            return this;
        }

        /**
         * Sets α, the regulariser's weight (default 1e-3).
         *
         * @param alpha ≥ 0
         * @return this builder
         * @throws IllegalArgumentException if α is negative or not finite
         */
        public Builder optAlpha(float alpha) {
            this.alpha = requireWeight(alpha, "α");
            return this;
        }

        /**
         * Sets ε inside each group norm of Group-HS (default 1e-8).
         *
         * @param epsilon &gt; 0
         * @return this builder
         * @throws IllegalArgumentException if ε is not a finite number &gt; 0
         */
        public Builder optEpsilon(float epsilon) {
            if (!(epsilon > 0) || !Float.isFinite(epsilon)) {
                throw new IllegalArgumentException("ε inside the group norms must be a finite number > 0, got " + epsilon);
            }
            this.epsilon = epsilon;
            return this;
        }

        /**
         * Sets the task loss (default softmax cross-entropy).
         *
         * @param base the loss
         * @return this builder
         */
        public Builder optBaseLoss(Loss base) {
            this.base = base;
            return this;
        }

        /**
         * Builds the loss.
         *
         * @return the loss
         * @throws IllegalArgumentException if the graph or variant is missing, or a knob is out of range
         */
        public HoyerRegularizedLoss build() {
            if (graph == null || variant == null) {
                throw new IllegalArgumentException("HoyerRegularizedLoss needs the network's channel graph and a variant");
            }
            Regularizer regularizer =
                    variant == HoyerVariant.GROUP ? new GroupHoyerSquare(graph, epsilon) : new HoyerSquare(graph);
            return new HoyerRegularizedLoss(this, regularizer);
        }
    }
}
