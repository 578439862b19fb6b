package io.djlprune.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.tracker.ParameterTracker;
import io.djlprune.checkpoint.StatefulOptimizer;
import java.util.Objects;

/**
 * SGD with momentum whose state (the momentum buffer and the update count that drives the learning-rate schedule)
 * can be saved and loaded ({@link StatefulOptimizer}), so a resumed fine-tuning continues with the same velocity and
 * the same point of its schedule. The update is DJL's own fused kernel ({@code sgdUpdate}, the one {@code
 * Optimizer.sgd()} runs), with weight decay added to the gradient as DJL and PyTorch do.
 */
public final class ResumableSgd extends ResumableOptimizer {

    private final ParameterTracker learningRate;
    private final float momentum;

    private ResumableSgd(Builder builder) {
        super(builder, "momentum");
        this.learningRate = builder.learningRate;
        this.momentum = builder.momentum;
    }

    /**
     * Creates a builder (momentum 0.9 unless set).
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
        float lr = learningRate.getNewValue(parameterId, state.steps());
        float weightDecay = getWeightDecay();
        if (!Float.isFinite(lr) || !Float.isFinite(weightDecay)) {
            throw new IllegalStateException(
                    "SGD's learning rate (" + lr + ") or weight decay (" + weightDecay + ") is not finite");
        }
        weight.getNDArrayInternal()
                .sgdUpdate(
                        new NDList(weight, grad, state.slot(0)),
                        new NDList(weight),
                        lr,
                        weightDecay,
                        rescaleGrad,
                        clipGrad,
                        momentum,
                        true);
    }

    /** Configures a {@link ResumableSgd}. */
    public static final class Builder extends OptimizerBuilder<Builder> {

        private ParameterTracker learningRate;
        private float momentum = 0.9f;

        Builder() {}

        /** {@inheritDoc} */
        @Override
        protected Builder self() {
            return this;
        }

        /**
         * Sets the learning-rate schedule (required).
         *
         * @param tracker the schedule
         * @return this builder
         */
        public Builder setLearningRateTracker(ParameterTracker tracker) {
            this.learningRate = Objects.requireNonNull(tracker, "tracker");
            return this;
        }

        /**
         * Sets the momentum (default 0.9).
         *
         * @param momentum in [0, 1)
         * @return this builder
         */
        public Builder optMomentum(float momentum) {
            if (!(momentum >= 0 && momentum < 1)) {
                throw new IllegalArgumentException("SGD's momentum must be in [0, 1), got " + momentum);
            }
            this.momentum = momentum;
            return this;
        }

        /**
         * Builds the optimiser.
         *
         * @return the optimiser
         */
        public ResumableSgd build() {
            if (learningRate == null) {
                throw new IllegalArgumentException("ResumableSgd needs setLearningRateTracker");
            }
            return new ResumableSgd(this);
        }
    }
}
