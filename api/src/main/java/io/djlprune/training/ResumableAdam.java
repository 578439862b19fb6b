package io.djlprune.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.tracker.ParameterTracker;
import ai.djl.training.tracker.Tracker;
import io.djlprune.checkpoint.StatefulOptimizer;
import java.util.Objects;

/**
 * Adam whose state can be saved and loaded ({@link StatefulOptimizer}), so a run resumed after a kill continues with
 * the same moments and step counts. By default it is AdamW (decoupled weight decay, as PyTorch's {@code
 * torch.optim.AdamW} and DJL's {@code Optimizer.adamW()}); with {@link Builder#optDecoupledWeightDecay(boolean)
 * optDecoupledWeightDecay(false)} it is Adam with L2 decay in the gradient (DJL's {@code Optimizer.adam()}, PyTorch's
 * {@code torch.optim.Adam}). The update is DJL's own fused kernel ({@code adamUpdate}) with the same bias correction,
 * so a run with this optimiser trains as one with DJL's.
 *
 * <p>State per parameter: the first and second moments and the number of updates applied (see {@link
 * ResumableOptimizer}).
 */
public final class ResumableAdam extends ResumableOptimizer {

    private final ParameterTracker learningRate;
    private final float beta1;
    private final float beta2;
    private final float epsilon;
    private final boolean decoupled;

    private ResumableAdam(Builder builder) {
        super(builder, "mean", "variance");
        this.learningRate = builder.learningRate;
        this.beta1 = builder.beta1;
        this.beta2 = builder.beta2;
        this.epsilon = builder.epsilon;
        this.decoupled = builder.decoupled;
    }

    /**
     * Creates a builder with PyTorch's AdamW defaults: lr 1e-3, β₁ 0.9, β₂ 0.999, ε 1e-8, weight decay 0.01, decoupled.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /** {@inheritDoc} */
    @Override
    public void update(String parameterId, NDArray weight, NDArray grad) {
        ParameterState state = nextUpdate(parameterId, weight);
        int t = state.steps();
        float lr = learningRate.getNewValue(parameterId, t);
        float weightDecay = getWeightDecay();
        if (!Float.isFinite(lr) || !Float.isFinite(weightDecay)) {
            throw new IllegalStateException(
                    "Adam's learning rate (" + lr + ") or weight decay (" + weightDecay + ") is not finite");
        }
        double coef1 = 1.0 - Math.pow(beta1, t);
        double coef2 = 1.0 - Math.pow(beta2, t);
        float biasCorrected = (float) (lr * Math.sqrt(coef2) / coef1);
        weight.getNDArrayInternal()
                .adamUpdate(
                        new NDList(weight, grad, state.slot(0), state.slot(1)),
                        new NDList(weight),
                        lr,
                        biasCorrected,
                        weightDecay,
                        rescaleGrad,
                        clipGrad,
                        beta1,
                        beta2,
                        epsilon,
                        true,
                        decoupled);
    }

    /** Configures a {@link ResumableAdam}. */
    public static final class Builder extends OptimizerBuilder<Builder> {

        private ParameterTracker learningRate = Tracker.fixed(1e-3f);
        private float beta1 = 0.9f;
        private float beta2 = 0.999f;
        private float epsilon = 1e-8f;
        private boolean decoupled = true;

        Builder() {
            optWeightDecays(0.01f);
        }

        /** {@inheritDoc} */
        @Override
        protected Builder self() {
            return this;
        }

        /**
         * Sets the learning-rate schedule (default fixed 1e-3).
         *
         * @param tracker the schedule
         * @return this builder
         */
        public Builder optLearningRateTracker(ParameterTracker tracker) {
            this.learningRate = Objects.requireNonNull(tracker, "tracker");
            return this;
        }

        /**
         * Sets β₁ and β₂, the decay rates of the first and second moments (defaults 0.9, 0.999).
         *
         * @param beta1 in [0, 1)
         * @param beta2 in [0, 1)
         * @return this builder
         */
        public Builder optBetas(float beta1, float beta2) {
            if (!(beta1 >= 0 && beta1 < 1 && beta2 >= 0 && beta2 < 1)) {
                throw new IllegalArgumentException("AdamW's betas must be in [0, 1), got " + beta1 + ", " + beta2);
            }
            this.beta1 = beta1;
            this.beta2 = beta2;
            return this;
        }

        /**
         * Sets ε (default 1e-8).
         *
         * @param epsilon &gt; 0
         * @return this builder
         */
        public Builder optEpsilon(float epsilon) {
            if (!(epsilon > 0)) {
                throw new IllegalArgumentException("AdamW's epsilon must be positive, got " + epsilon);
            }
            this.epsilon = epsilon;
            return this;
        }

        /**
         * Chooses how weight decay applies: decoupled from the gradient (true, AdamW, the default) or added to it as
         * L2 (false, plain Adam).
         *
         * @param decoupled whether the decay is decoupled
         * @return this builder
         */
        public Builder optDecoupledWeightDecay(boolean decoupled) {
            this.decoupled = decoupled;
            return this;
        }

        /**
         * Builds the optimiser.
         *
         * @return the optimiser
         */
        public ResumableAdam build() {
            return new ResumableAdam(this);
        }
    }
}
