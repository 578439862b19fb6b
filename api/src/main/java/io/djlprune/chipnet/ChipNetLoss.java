package io.djlprune.chipnet;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.training.loss.Loss;
import io.djlprune.cost.Budget;
import io.djlprune.gate.HeavisideProjection;
import io.djlprune.graph.ChannelGroup;
import io.djlprune.graph.ChannelMask;
import io.djlprune.ndarray.OwnedArrays;

/**
 * ChipNet's training loss, a DJL {@link Loss} for {@code DefaultTrainingConfig}:
 * {@code L = base + w_budget · (V(s(z)) − V₀)² + w_crisp · mean_j (z_j − z̃_j)²}, where z are the soft gates of a
 * {@link GatedNetwork}, s(z) = σ(k·(z − ½)) is the soft count of channels with z &gt; ½ at steepness k (set each step
 * by the {@link Pruner}), V the soft cost ratio from the network's cost model and V₀ the budget target. Reference
 * weights: w_budget = 30, w_crisp = 10.
 *
 * <p>Not in the paper, off unless {@link Builder#optMaskPullWeight} sets w_pull &gt; 0: a mask pull
 * {@code + w_pull · (V(s(z)) − V(s(z) ⊙ M))}, the soft cost of the channels that the hard mask M at the budget removes
 * (M is the mask the gates choose now; the {@link Pruner} sets it after every step). It pushes exactly the channels the
 * hard network will not have toward 0, so the soft network cannot lean on channels whose small gates the budget counts
 * cheaply but the hard mask charges in full. It is linear, so it keeps pulling until they are shut.
 *
 * <p>The budget and crispness terms are visible as separate training metrics: add {@link #budgetMetric()},
 * {@link #crispnessMetric()}, {@link #softBudgetMetric()} and, with the pull, {@link #maskRemovedMetric()} to the
 * training config as evaluators ({@link ChipNetRecipe} does).
 */
public final class ChipNetLoss extends Loss {

    /** ChipNet's reference weight of the budget term w_budget (the published code's default). */
    public static final float REFERENCE_BUDGET_WEIGHT = 30f;

    private final Loss base;
    private final GatedNetwork network;
    private final Budget budget;
    private final float budgetWeight;
    private final float crispnessWeight;
    private final BudgetCount count;
    private final float maskPullWeight;
    private volatile double steepness;
    // per prunable group, 1 for a channel the hard mask keeps and 0 for one it removes; null without a mask
    private volatile float[][] keptByMask;
    private volatile float[] lastTerms = {Float.NaN, Float.NaN, Float.NaN, Float.NaN};

    private ChipNetLoss(Builder builder) {
        super("ChipNetLoss");
        this.base = builder.base;
        this.network = builder.network;
        this.budget = builder.budget;
        this.budgetWeight = builder.budgetWeight;
        this.crispnessWeight = builder.crispnessWeight;
        this.count = builder.count;
        this.maskPullWeight = builder.maskPullWeight;
        this.steepness = builder.steepness;
    }

    /**
     * Creates a builder.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Sets the steepness k of the soft count; the {@link Pruner} raises it over training.
     *
     * @param steepness k &gt; 0
     */
    public void setSteepness(double steepness) {
        if (!(steepness > 0)) {
            throw new IllegalArgumentException("Steepness must be positive, got " + steepness);
        }
        this.steepness = steepness;
    }

    /**
     * Returns the current steepness of the soft count.
     *
     * @return k
     */
    public double getSteepness() {
        return steepness;
    }

    /**
     * Sets the hard mask whose removed channels the mask pull charges; the {@link Pruner} sets the mask the gates
     * choose at the budget after every soft step. Without a mask (or with w_pull = 0) the pull is 0.
     *
     * @param mask the hard mask, or null for none
     */
    public void setHardMask(ChannelMask mask) {
        if (mask == null) {
            keptByMask = null;
            return;
        }
        float[][] kept = new float[network.getGraph().groups().size()][];
        for (ChannelGroup group : network.getGraph().groups()) {
            if (group.prunable()) {
                boolean[] keep = mask.keep(group.id());
                kept[group.id()] = new float[keep.length];
                for (int c = 0; c < keep.length; c++) {
                    kept[group.id()][c] = keep[c] ? 1f : 0f;
                }
            }
        }
        keptByMask = kept;
    }

    /**
     * Returns w_pull, the weight of the mask pull.
     *
     * @return the weight, 0 when the pull is off
     */
    public float getMaskPullWeight() {
        return maskPullWeight;
    }

    /**
     * Returns the budget the loss pulls toward.
     *
     * @return the budget
     */
    public Budget getBudget() {
        return budget;
    }

    /** {@inheritDoc} */
    @Override
    public NDArray evaluate(NDList labels, NDList predictions) {
        NDArray baseLoss = base.evaluate(labels, predictions);
        try (NDManager scope = NDManager.subManagerOf(baseLoss)) {
            Terms terms = terms(scope);
            // the metrics read these instead of recomputing the soft cost for every evaluator each step
            lastTerms =
                    new float[] {
                        terms.softRatio().getFloat(), terms.budget().getFloat(), terms.crispness().getFloat(),
                        terms.removed().getFloat()
                    };
            NDArray total =
                    baseLoss.add(OwnedArrays.times(terms.budget(), budgetWeight))
                            .add(OwnedArrays.times(terms.crispness(), crispnessWeight));
            if (maskPullWeight > 0) {
                total = total.add(OwnedArrays.times(terms.removed(), maskPullWeight));
            }
            return scope.ret(total);
        }
    }

    /**
     * Computes the soft terms on a manager's device, differentiable in ψ.
     *
     * @param manager where to compute; the arrays belong to it
     * @return V, (V − V₀)², the crispness and the cost the hard mask removes, each a float32 scalar
     */
    public Terms terms(NDManager manager) {
        try (NDManager scope = manager.newSubManager()) {
            HeavisideProjection projection = network.getController().getProjection();
            float[][] mask = keptByMask;
            NDList softCount = new NDList();
            NDList keptCount = mask == null ? null : new NDList();
            NDList crisp = new NDList();
            for (ChannelGroup group : network.getGraph().groups()) {
                if (!group.prunable()) {
                    softCount.add(null);
                    if (keptCount != null) {
                        keptCount.add(null);
                    }
                    continue;
                }
                NDArray psi = network.ownerOf(group.id()).psiValue(scope);
                // ψ belongs to the parameter; attached to the scope for this computation only, so every result
                // lands in the scope and is freed with it instead of growing the parameter's manager each step.
                scope.tempAttachAll(psi);
                NDArray logistic = projection.logistic(psi);
                NDArray z = projection.heaviside(logistic);
                NDArray counted = counted(z);
                softCount.add(counted);
                if (keptCount != null) {
                    keptCount.add(counted.mul(scope.create(mask[group.id()])));
                }
                crisp.add(z.sub(logistic).square());
            }
            NDArray ratio = toFloat32(network.getCostModel().softRatio(budget.kind(), softCount));
            NDArray gap = ratio.sub((float) budget.target()).square();
            NDArray crispness = NDArrays.concat(crisp).mean();
            NDArray removed =
                    keptCount == null
                            ? scope.zeros(new Shape(), DataType.FLOAT32)
                            : ratio.sub(toFloat32(network.getCostModel().softRatio(budget.kind(), keptCount)));
            return new Terms(scope.ret(ratio), scope.ret(gap), scope.ret(crispness), scope.ret(removed));
        }
    }

    private NDArray counted(NDArray z) {
        switch (count) {
            case SOFT_COUNT:
                return Activation.sigmoid(OwnedArrays.times(z.sub(0.5f), steepness));
            case ROOT:
                float offset = (float) Math.sqrt(BudgetCount.ROOT_OFFSET);
                float scale = (float) (1 / (Math.sqrt(1 + BudgetCount.ROOT_OFFSET) - offset));
                return z.add(BudgetCount.ROOT_OFFSET).sqrt().sub(offset).mul(scale);
            case GATE:
                return z;
            default:
                throw new IllegalStateException("Unhandled budget count " + count);
        }
    }

    /**
     * Returns what the budget term counts.
     *
     * @return the count
     */
    public BudgetCount getCount() {
        return count;
    }

    /** DJL's toType on PyTorch cuts the autograd graph; a product with float32 ones converts and keeps it. */
    private static NDArray toFloat32(NDArray value) {
        NDArray ones = value.getManager().ones(new Shape(1), DataType.FLOAT32, value.getDevice());
        return value.mul(ones).reshape(new Shape());
    }

    /**
     * Returns an evaluator that reports the budget term (V − V₀)² as a training metric named "budget".
     *
     * @return the evaluator
     */
    public Loss budgetMetric() {
        return new TermMetric("budget", this, 1);
    }

    /**
     * Returns an evaluator that reports the crispness term mean (z − z̃)² as a training metric named "crispness".
     *
     * @return the evaluator
     */
    public Loss crispnessMetric() {
        return new TermMetric("crispness", this, 2);
    }

    /**
     * Returns an evaluator that reports the soft cost the hard mask removes, V − V(M), as a training metric named
     * "mask_removed" (0 until a mask is set).
     *
     * @return the evaluator
     */
    public Loss maskRemovedMetric() {
        return new TermMetric("mask_removed", this, 3);
    }

    /**
     * Returns an evaluator that reports the soft cost ratio V as a training metric named "soft_budget".
     *
     * @return the evaluator
     */
    public Loss softBudgetMetric() {
        return new TermMetric("soft_budget", this, 0);
    }

    /**
     * The soft terms of the loss.
     *
     * @param softRatio the soft cost ratio V
     * @param budget (V − V₀)²
     * @param crispness mean (z − z̃)² over every gated channel
     * @param removed the soft cost ratio of the channels the hard mask removes, V − V(M); 0 without a mask
     */
    public record Terms(NDArray softRatio, NDArray budget, NDArray crispness, NDArray removed) {}

    /** Reports one term of the loss's last evaluation as a metric; it is never part of a gradient. */
    private static final class TermMetric extends Loss {
        private final ChipNetLoss loss;
        private final int index;

        TermMetric(String name, ChipNetLoss loss, int index) {
            super(name);
            this.loss = loss;
            this.index = index;
        }

        @Override
        public NDArray evaluate(NDList labels, NDList predictions) {
            return predictions.head().getManager().create(loss.lastTerms[index]);
        }
    }

    /** Configures a {@link ChipNetLoss}. */
    public static final class Builder {
        private Loss base = Loss.softmaxCrossEntropyLoss();
        private GatedNetwork network;
        private Budget budget;
        private float budgetWeight = REFERENCE_BUDGET_WEIGHT;
        private float crispnessWeight = 10f;
        private double steepness = 10;
        private BudgetCount count = BudgetCount.SOFT_COUNT;
        private float maskPullWeight;

        Builder() {}

        /**
         * Chooses what the budget term counts: the soft count s(z) of channels with z &gt; ½ (true, the reference) or
         * the gate values z themselves (false), which pushes the multipliers of dropped channels toward 0 instead of
         * just under ½, so the network cannot lean on half-open channels that the hard mask then closes.
         *
         * @param softCount whether to count with s(z)
         * @return this builder
         */
        public Builder optSoftCount(boolean softCount) {
            this.count = softCount ? BudgetCount.SOFT_COUNT : BudgetCount.GATE;
            return this;
        }

        /**
         * Chooses what the budget term counts per channel (default {@link BudgetCount#SOFT_COUNT}, the reference).
         *
         * @param count the count
         * @return this builder
         */
        public Builder optBudgetCount(BudgetCount count) {
            if (count == null) {
                throw new IllegalArgumentException("The budget count must not be null");
            }
            this.count = count;
            return this;
        }

        /**
         * Sets the gated network whose gates the loss reads.
         *
         * @param network the network
         * @return this builder
         */
        public Builder setNetwork(GatedNetwork network) {
            this.network = network;
            return this;
        }

        /**
         * Sets the budget V₀ and its kind.
         *
         * @param budget the budget
         * @return this builder
         */
        public Builder setBudget(Budget budget) {
            this.budget = budget;
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
         * Sets w_budget (default {@value #REFERENCE_BUDGET_WEIGHT}).
         *
         * @param weight ≥ 0
         * @return this builder
         */
        public Builder optBudgetWeight(float weight) {
            this.budgetWeight = requireNonNegative(weight, "budget weight");
            return this;
        }

        /**
         * Sets w_crisp (default 10).
         *
         * @param weight ≥ 0
         * @return this builder
         */
        public Builder optCrispnessWeight(float weight) {
            this.crispnessWeight = requireNonNegative(weight, "crispness weight");
            return this;
        }

        /**
         * Sets w_pull, the weight of the mask pull (default 0: off, as in the paper).
         *
         * @param weight ≥ 0
         * @return this builder
         */
        public Builder optMaskPullWeight(float weight) {
            this.maskPullWeight = requireNonNegative(weight, "mask pull weight");
            return this;
        }

        /**
         * Sets the initial steepness of the soft count (default 10).
         *
         * @param steepness &gt; 0
         * @return this builder
         */
        public Builder optSteepness(double steepness) {
            if (!(steepness > 0)) {
                throw new IllegalArgumentException("Steepness must be positive, got " + steepness);
            }
            this.steepness = steepness;
            return this;
        }

        /**
         * Builds the loss.
         *
         * @return the loss
         */
        public ChipNetLoss build() {
            if (network == null || budget == null) {
                throw new IllegalArgumentException("ChipNetLoss needs a gated network and a budget");
            }
            return new ChipNetLoss(this);
        }

        private static float requireNonNegative(float weight, String what) {
            if (!(weight >= 0) || !Float.isFinite(weight)) {
                throw new IllegalArgumentException("The " + what + " must be a finite number ≥ 0, got " + weight);
            }
            return weight;
        }
    }
}
