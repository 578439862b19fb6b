package io.djlprune.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.tracker.ParameterTracker;
import ai.djl.training.tracker.Tracker;
import java.util.Objects;

/**
 * Adam whose second moment is one number per parameter tensor, the running mean of the tensor's squared gradients,
 * instead of one per element: the step of each element keeps its gradient's size relative to the other elements of the
 * same tensor, and only the tensor's overall scale is normalised. Decoupled weight decay, as AdamW.
 *
 * <p>Why ChipNet's gates need it: within a channel group the budget term pushes every ψ with the same gradient, and
 * the task loss adds a smaller, channel-specific part. Element-wise Adam divides each element by its own gradient's
 * size, so every ψ of the group takes a step of about the learning rate in the same direction and the group moves in
 * lock-step: measured on LeNet-5 (FLOPs 0.25, 20 epochs), the 50 ψ of the second convolution spanned 0.04 after
 * 9 epochs, so the gates sat half open together and no hard mask could match the soft network. With one scale per
 * group, the channel-specific part separates the channels in proportion to how much the task loss needs them.
 *
 * <p>The state is saved and loaded like the other {@link ResumableOptimizer}s (the second moment is stored per
 * element, all equal).
 */
public final class GroupNormalizedAdam extends ResumableOptimizer {

    private final ParameterTracker learningRate;
    private final float beta1;
    private final float beta2;
    private final float epsilon;

    private GroupNormalizedAdam(Builder builder) {
        super(builder, "mean", "variance");
        this.learningRate = builder.learningRate;
        this.beta1 = builder.beta1;
        this.beta2 = builder.beta2;
        this.epsilon = builder.epsilon;
    }

    /**
     * Creates a builder: lr 1e-3, β₁ 0.9, β₂ 0.999, ε 1e-8, no weight decay.
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
        NDArray mean = state.slot(0);
        NDArray variance = state.slot(1);
        // every temporary lands in the scope; the four arrays return to their own managers when it closes
        try (NDManager scope = weight.getManager().newSubManager()) {
            scope.tempAttachAll(weight, grad, mean, variance);
            NDArray g = grad.mul(rescaleGrad);
            if (clipGrad > 0) {
                g = g.clip(-clipGrad, clipGrad);
            }
            mean.muli(beta1).addi(g.mul(1 - beta1));
            variance.muli(beta2).addi(g.square().mean().mul(1 - beta2));
            double correction1 = 1 - Math.pow(beta1, t);
            double correction2 = 1 - Math.pow(beta2, t);
            NDArray denominator = variance.div(correction2).sqrt().add(epsilon);
            NDArray step = mean.div(denominator).mul(lr / correction1);
            if (weightDecay > 0) {
                weight.subi(weight.mul(lr * weightDecay));
            }
            weight.subi(step);
        }
    }

    /** Configures a {@link GroupNormalizedAdam}. */
    public static final class Builder extends OptimizerBuilder<Builder> {

        private ParameterTracker learningRate = Tracker.fixed(1e-3f);
        private float beta1 = 0.9f;
        private float beta2 = 0.999f;
        private float epsilon = 1e-8f;

        Builder() {}

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
         * Builds the optimiser.
         *
         * @return the optimiser
         */
        public GroupNormalizedAdam build() {
            return new GroupNormalizedAdam(this);
        }
    }
}
