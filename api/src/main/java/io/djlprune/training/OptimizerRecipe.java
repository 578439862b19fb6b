package io.djlprune.training;

import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;

/**
 * How a training phase updates its weights: Adam or SGD with momentum 0.9, a learning rate that a cosine takes to 0
 * over the phase, and an L2 weight decay. The optimisers it builds ({@link ResumableAdam}, {@link ResumableSgd}) can
 * save their state, so a phase that uses them is resumable. Instances are immutable.
 */
public final class OptimizerRecipe {

    /** The update rule. */
    public enum Kind {
        /** Adam with the decay added to the gradient (DJL's {@code Adam}). */
        ADAM,
        /** SGD with momentum 0.9. */
        SGD
    }

    private final Kind kind;
    private final float learningRate;
    private final float weightDecay;

    private OptimizerRecipe(Builder builder) {
        this.kind = builder.kind;
        this.learningRate = builder.learningRate;
        this.weightDecay = builder.weightDecay;
    }

    /**
     * Creates a builder (default: Adam, learning rate 1e-3, no weight decay).
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Builds the optimiser for a phase of {@code totalSteps} updates.
     *
     * @param totalSteps the optimiser steps of the phase, for the cosine schedule
     * @return the optimiser
     */
    public Optimizer build(long totalSteps) {
        Tracker schedule =
                Tracker.cosine()
                        .setBaseValue(learningRate)
                        .optFinalValue(0f)
                        .setMaxUpdates(Math.toIntExact(Math.max(1, totalSteps)))
                        .build();
        if (kind == Kind.SGD) {
            return ResumableSgd.builder()
                    .setLearningRateTracker(schedule)
                    .optMomentum(0.9f)
                    .optWeightDecays(weightDecay)
                    .build();
        }
        return ResumableAdam.builder()
                .optLearningRateTracker(schedule)
                .optWeightDecays(weightDecay)
                .optDecoupledWeightDecay(false)
                .build();
    }

    /**
     * Returns the update rule.
     *
     * @return the kind
     */
    public Kind getKind() {
        return kind;
    }

    /**
     * Returns the initial learning rate.
     *
     * @return the rate
     */
    public float getLearningRate() {
        return learningRate;
    }

    /**
     * Returns the weight decay.
     *
     * @return the decay
     */
    public float getWeightDecay() {
        return weightDecay;
    }

    @Override
    public String toString() {
        return kind.name().toLowerCase(java.util.Locale.ROOT) + " lr " + learningRate + " (cosine) wd " + weightDecay;
    }

    /** Configures an {@link OptimizerRecipe}. */
    public static final class Builder {
        private Kind kind = Kind.ADAM;
        private float learningRate = 1e-3f;
        private float weightDecay;

        Builder() {}

        /**
         * Sets the update rule (default Adam).
         *
         * @param kind the rule
         * @return this builder
         */
        public Builder optKind(Kind kind) {
            if (kind == null) {
                throw new IllegalArgumentException("The optimiser kind must not be null");
            }
            this.kind = kind;
            return this;
        }

        /**
         * Sets the initial learning rate (default 1e-3).
         *
         * @param learningRate &gt; 0
         * @return this builder
         */
        public Builder optLearningRate(float learningRate) {
            if (!(learningRate > 0) || !Float.isFinite(learningRate)) {
                throw new IllegalArgumentException("The learning rate must be a positive number, got " + learningRate);
            }
            this.learningRate = learningRate;
            return this;
        }

        /**
         * Sets the L2 weight decay (default 0).
         *
         * @param weightDecay ≥ 0
         * @return this builder
         */
        public Builder optWeightDecay(float weightDecay) {
            if (!(weightDecay >= 0) || !Float.isFinite(weightDecay)) {
                throw new IllegalArgumentException("The weight decay must be ≥ 0, got " + weightDecay);
            }
            this.weightDecay = weightDecay;
            return this;
        }

        /**
         * Builds the recipe.
         *
         * @return the recipe
         */
        public OptimizerRecipe build() {
            return new OptimizerRecipe(this);
        }
    }
}
