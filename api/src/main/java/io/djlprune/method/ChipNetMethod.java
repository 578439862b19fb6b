package io.djlprune.method;

import ai.djl.Model;
import ai.djl.TrainingDivergedException;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.EasyTrain;
import ai.djl.training.Trainer;
import ai.djl.translate.TranslateException;
import io.djlprune.checkpoint.PhaseCheckpoint;
import io.djlprune.checkpoint.PhaseCheckpoints;
import io.djlprune.checkpoint.TrainingCheckpoint;
import io.djlprune.chipnet.BudgetCount;
import io.djlprune.chipnet.ChipNetLoss;
import io.djlprune.chipnet.ChipNetPreset;
import io.djlprune.chipnet.ChipNetRecipe;
import io.djlprune.chipnet.GatedNetwork;
import io.djlprune.chipnet.Pruner;
import io.djlprune.criteria.L1FilterNorm;
import io.djlprune.gate.GateSchedule;
import io.djlprune.gate.PsiWarmStart;
import io.djlprune.mask.ChannelOrder;
import java.io.IOException;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * ChipNet (Tiwari et al., ICLR 2021) as a {@link PruningMethod}: gates with learnable ψ on every prunable channel,
 * trained with the task loss plus budget and crispness terms while β and γ anneal; after every epoch the {@link
 * Pruner} derives the budget-exact hard mask, validates it and keeps the best. The settings start from a {@link
 * ChipNetPreset} (this library's measured default, or the published code's) and each can be overridden. Instances
 * are immutable.
 */
public final class ChipNetMethod implements PruningMethod {

    private static final Logger logger = LoggerFactory.getLogger(ChipNetMethod.class);

    /** ChipNet's reference weight of the budget term. */
    public static final float REFERENCE_BUDGET_WEIGHT = ChipNetLoss.REFERENCE_BUDGET_WEIGHT;

    /** ChipNet's reference weight decay in the pruning phase (AdamW; ψ gets none). */
    private static final float REFERENCE_WEIGHT_DECAY = 1e-3f;

    /** When γ, the Heaviside's sharpness, rises. */
    public enum Annealing {
        /** γ × √2 per epoch, as the reference (crisp after ~15 epochs). */
        EPOCH,
        /** γ rises per step to 256 by the run's end, so short runs end crisp. */
        STEP
    }

    private final ChipNetPreset preset;
    private final BudgetCount budgetCount;
    private final float crispnessWeight;
    private final float budgetWeight;
    private final boolean keepSoftScale;
    private final boolean frozenStatistics;
    private final boolean sampledGates;
    private final float maskPullWeight;
    private final double hardFinish;
    private final Float psiLearningRate;
    private final boolean psiRateForSteps;
    private final boolean psiFromL1;
    private final float psiSpread;
    private final double betaStep;
    private final double betaCap;
    private final Annealing annealing;
    private final ChannelOrder order;

    private ChipNetMethod(Builder builder) {
        this.preset = builder.preset;
        this.budgetCount = builder.budgetCount;
        this.crispnessWeight = builder.crispnessWeight;
        this.budgetWeight = builder.budgetWeight;
        this.keepSoftScale = builder.keepSoftScale;
        this.frozenStatistics = builder.frozenStatistics;
        this.sampledGates = builder.sampledGates;
        this.maskPullWeight = builder.maskPullWeight;
        this.hardFinish = builder.hardFinish;
        this.psiLearningRate = builder.psiLearningRate;
        this.psiRateForSteps = builder.psiRateForSteps;
        this.psiFromL1 = builder.psiFromL1;
        this.psiSpread = builder.psiSpread;
        this.betaStep = builder.betaStep;
        this.betaCap = builder.betaCap;
        this.annealing = builder.annealing;
        this.order = builder.order;
    }

    /**
     * Creates a builder starting from this library's default recipe ({@link ChipNetPreset#DEFAULT}).
     *
     * @return a new builder
     */
    public static Builder builder() {
        return builder(ChipNetPreset.DEFAULT);
    }

    /**
     * Creates a builder starting from a preset.
     *
     * @param preset the preset whose settings the builder starts with
     * @return a new builder
     */
    public static Builder builder(ChipNetPreset preset) {
        return new Builder(preset);
    }

    /** {@inheritDoc} */
    @Override
    public String getName() {
        return "chipnet";
    }

    /** {@inheritDoc} */
    @Override
    public ChannelOrder defaultOrder() {
        return order;
    }

    /** {@inheritDoc} */
    @Override
    public float referenceWeightDecay() {
        return REFERENCE_WEIGHT_DECAY;
    }

    /** {@inheritDoc} */
    @Override
    public MethodResult prune(PruningContext context) throws IOException, TranslateException {
        GatedNetwork network = GatedNetwork.of(context.dense().getBlock(), context.graph());
        network.setCostModel(context.cost());
        network.getController().setFrozenStatistics(frozenStatistics);
        network.getController().setSampled(sampledGates);
        ChipNetLoss loss =
                ChipNetLoss.builder()
                        .setNetwork(network)
                        .setBudget(context.budget())
                        .optBudgetCount(budgetCount)
                        .optCrispnessWeight(crispnessWeight)
                        .optBudgetWeight(budgetWeight)
                        .optMaskPullWeight(maskPullWeight)
                        .build();
        int epochs = context.recipe().epochs();
        int stepsPerEpoch = context.stepsPerEpoch();
        GateSchedule.Builder schedule = GateSchedule.builder().optBetaStep(betaStep).optBetaCap(betaCap);
        if (annealing == Annealing.STEP) {
            schedule.optGammaStepAnnealing((long) stepsPerEpoch * epochs);
        }
        Pruner.Builder pruner =
                Pruner.builder()
                        .setNetwork(network, loss)
                        .optSchedule(schedule.build())
                        .setValidation(context.data().validation())
                        .setEpochs(epochs)
                        .optSelector(context.selector())
                        .optModelName(context.modelName())
                        .optStepsPerEpoch(stepsPerEpoch)
                        .optKeepSoftScale(keepSoftScale)
                        .optHardFinish(hardFinish);
        if (context.planFile() != null) {
            pruner.optPlanFile(context.planFile());
        }
        return train(context, network, loss, pruner.build());
    }

    private MethodResult train(PruningContext context, GatedNetwork network, ChipNetLoss loss, Pruner pruner)
            throws IOException, TranslateException {
        int epochs = context.recipe().epochs();
        try (Model gated = Model.newInstance(context.modelName() + "-gated", context.device(), context.engineName())) {
            gated.setBlock(network.getBlock());
            ChipNetRecipe recipe =
                    new ChipNetRecipe()
                            .optLearningRate(context.recipe().learningRate())
                            .optWeightDecay(context.recipe().weightDecayFor(this));
            if (psiLearningRate != null) {
                recipe.optPsiLearningRate(psiLearningRate);
            } else if (psiRateForSteps) {
                recipe.optPsiLearningRateForSteps((long) context.stepsPerEpoch() * epochs);
            }
            logger.info(
                    "ChipNet: lr {} for weights, {} for ψ", context.recipe().learningRate(), recipe.getPsiLearningRate());
            DefaultTrainingConfig config = recipe.trainingConfig(network, loss, pruner, epochs, context.device());
            config.addTrainingListeners(context.listenerArray());
            PhaseCheckpoint phase = context.checkpoints().phase(PhaseCheckpoints.PRUNING);
            TrainingCheckpoint checkpoint = phase == null ? null : phase.attach(config, pruner, recipe.getEpochSummaries());
            try (Trainer trainer = gated.newTrainer(config)) {
                trainer.initialize(context.data().batchShape(context.batchSize()));
                if (psiFromL1) {
                    network.setPsi(PsiWarmStart.fromScores(new L1FilterNorm().score(context.graph()), psiSpread));
                }
                // a resumed run's ψ replaces the warm start
                int done = phase == null ? 0 : phase.restore(checkpoint, trainer, "pruning");
                EasyTrain.fit(trainer, epochs - done, context.data().train(), context.data().validation());
            } catch (TrainingDivergedException | IllegalStateException e) {
                if (pruner.getBestPlan() == null) {
                    throw e;
                }
                throw new PruningStoppedException(pruner.getBestPlan(), pruner.getHistory(), e);
            }
        }
        // the trainer is closed: the Pruner restored the best epoch's weights and its hard mask
        return new MethodResult(pruner.getBestPlan(), network.getBlock(), pruner.getHistory());
    }

    @Override
    public String toString() {
        return "chipnet (" + preset.key() + " recipe, budget on " + budgetCount.key() + ", budget weight "
                + budgetWeight + ", crispness weight "
                + crispnessWeight + ", β +" + betaStep + " to "
                + betaCap + ", kept scale " + (keepSoftScale ? "soft" : "one") + ", hard finish " + hardFinish
                + (frozenStatistics ? ", BatchNorm statistics frozen" : "")
                + (sampledGates ? ", sampled gates" : "")
                + (maskPullWeight > 0 ? ", mask pull " + maskPullWeight : "")
                + ", ψ from " + (psiFromL1 ? "l1 spread " + psiSpread : "uniform") + ", ψ lr "
                + (psiLearningRate != null ? psiLearningRate : psiRateForSteps ? "auto" : "= lr") + ", γ per "
                + annealing.name().toLowerCase(Locale.ROOT) + ")";
    }

    /** Configures a {@link ChipNetMethod}; every setting starts at the preset's value. */
    public static final class Builder {
        private final ChipNetPreset preset;
        private BudgetCount budgetCount;
        private float crispnessWeight;
        private float budgetWeight;
        private boolean keepSoftScale;
        private boolean frozenStatistics;
        private boolean sampledGates;
        private float maskPullWeight;
        private double hardFinish;
        private Float psiLearningRate;
        private boolean psiRateForSteps;
        private boolean psiFromL1;
        private float psiSpread;
        private double betaStep;
        private double betaCap;
        private Annealing annealing = Annealing.EPOCH;
        private ChannelOrder order;

        Builder(ChipNetPreset preset) {
            if (preset == null) {
                throw new IllegalArgumentException("The ChipNet preset must not be null");
            }
            this.preset = preset;
            this.budgetCount = preset.budgetCount();
            this.crispnessWeight = preset.crispnessWeight();
            this.budgetWeight = preset.budgetWeight();
            this.sampledGates = preset.sampledGates();
            this.psiRateForSteps = preset.psiRateForSteps();
            this.keepSoftScale = preset.keepSoftScale();
            this.hardFinish = preset.hardFinish();
            this.psiFromL1 = preset.psiFromL1();
            this.psiSpread = preset.psiSpread();
            this.betaStep = preset.betaStep();
            this.betaCap = preset.betaCap();
            this.order = preset.order();
        }

        /**
         * Sets what the budget term counts per channel.
         *
         * @param count the count
         * @return this builder
         */
        public Builder optBudgetCount(BudgetCount count) {
            if (count == null) {
                throw new IllegalArgumentException("The budget count must not be null");
            }
            this.budgetCount = count;
            return this;
        }

        /**
         * Sets the weight of the crispness term (default: the preset's; the reference's is 10).
         *
         * @param weight ≥ 0
         * @return this builder
         */
        public Builder optCrispnessWeight(float weight) {
            if (!(weight >= 0) || !Float.isFinite(weight)) {
                throw new IllegalArgumentException("The crispness weight must be ≥ 0, got " + weight);
            }
            this.crispnessWeight = weight;
            return this;
        }

        /**
         * Sets the weight of the budget term w_budget·(V − V₀)² (default: the preset's; the reference's is {@value
         * #REFERENCE_BUDGET_WEIGHT}).
         *
         * @param weight ≥ 0
         * @return this builder
         */
        public Builder optBudgetWeight(float weight) {
            if (!(weight >= 0) || !Float.isFinite(weight)) {
                throw new IllegalArgumentException("The budget weight must be ≥ 0, got " + weight);
            }
            this.budgetWeight = weight;
            return this;
        }

        /**
         * Sets whether the hard mask's kept channels keep their soft gate value (see {@link
         * Pruner.Builder#optKeepSoftScale}).
         *
         * @param keep true to keep z
         * @return this builder
         */
        public Builder optKeepSoftScale(boolean keep) {
            this.keepSoftScale = keep;
            return this;
        }

        /**
         * Sets whether the BatchNorms joined with gates keep the running statistics of the network as pruning began
         * while training (default false: they normalise by each batch, as in the reference). Batch statistics let a
         * BatchNorm after the next convolution scale a channel shrunk by its gate back up, so a network can run on
         * channels whose gates are nearly shut and the hard mask, which removes them, is not the soft network
         * (docs/CHIPNET.md); frozen, a shrunk channel stays small.
         *
         * @param frozen true to freeze
         * @return this builder
         */
        public Builder optFrozenStatistics(boolean frozen) {
            this.frozenStatistics = frozen;
            return this;
        }

        /**
         * Sets whether the soft gates sample while training (default: the preset's; the reference's gates scale each
         * channel by z). Sampled, every training step keeps a channel whole with probability z and removes it otherwise, and
         * ψ learns through z (straight-through); validation still scales by z. With batch statistics a BatchNorm after
         * the next convolution scales a nearly shut channel back up, so a scaled network can run on channels the hard
         * mask removes; a sampled one must run without them in most steps (docs/CHIPNET.md).
         *
         * @param sampled true to sample
         * @return this builder
         */
        public Builder optSampledGates(boolean sampled) {
            this.sampledGates = sampled;
            return this;
        }

        /**
         * Sets the weight of the mask pull (default 0: off, as in the paper; see {@link
         * ChipNetLoss.Builder#optMaskPullWeight}): the soft cost of the channels that the hard mask at the budget would
         * remove, chosen again after every step, is added to the loss, so those channels close and the hard network
         * becomes the soft one.
         *
         * @param weight ≥ 0
         * @return this builder
         */
        public Builder optMaskPullWeight(float weight) {
            if (!(weight >= 0) || !Float.isFinite(weight)) {
                throw new IllegalArgumentException("The mask pull weight must be ≥ 0, got " + weight);
            }
            this.maskPullWeight = weight;
            return this;
        }

        /**
         * Sets the share of pruning steps, at the end, that train under the fixed hard mask.
         *
         * @param fraction in [0, 1)
         * @return this builder
         */
        public Builder optHardFinish(double fraction) {
            if (!(fraction >= 0 && fraction < 1)) {
                throw new IllegalArgumentException("The hard finish must be in [0, 1), got " + fraction);
            }
            this.hardFinish = fraction;
            return this;
        }

        /**
         * Sets ψ's learning rate (default: the preset's rule, scaled to the run's length or equal to the weights').
         *
         * @param learningRate &gt; 0
         * @return this builder
         */
        public Builder optPsiLearningRate(float learningRate) {
            if (!(learningRate > 0) || !Float.isFinite(learningRate)) {
                throw new IllegalArgumentException("The ψ learning rate must be positive, got " + learningRate);
            }
            this.psiLearningRate = learningRate;
            return this;
        }

        /**
         * Scales ψ's learning rate to the run's length (true: the weights' rate × {@link
         * ChipNetRecipe#REFERENCE_STEPS} / the run's steps, at least the weights' rate) or keeps it at the weights'
         * rate (false, the reference). An explicit {@link #optPsiLearningRate} wins over both.
         *
         * @param scaled whether to scale
         * @return this builder
         */
        public Builder optPsiRateForSteps(boolean scaled) {
            this.psiRateForSteps = scaled;
            this.psiLearningRate = null;
            return this;
        }

        /**
         * Sets where ψ starts: spread over {@code spread} units by each channel's L1 rank in its group (true), or
         * uniform in [0, 0.01) as the reference (false).
         *
         * @param fromL1 whether to start from the L1 rank
         * @param spread the range of ψ within a group, &gt; 0
         * @return this builder
         */
        public Builder optPsiStart(boolean fromL1, float spread) {
            if (!(spread > 0) || !Float.isFinite(spread)) {
                throw new IllegalArgumentException("The ψ spread must be positive, got " + spread);
            }
            this.psiFromL1 = fromL1;
            this.psiSpread = spread;
            return this;
        }

        /**
         * Sets β's rise per epoch and its cap.
         *
         * @param step ≥ 0
         * @param cap ≥ 1
         * @return this builder
         */
        public Builder optBeta(double step, double cap) {
            if (!(step >= 0) || !Double.isFinite(step) || !(cap >= 1) || !Double.isFinite(cap)) {
                throw new IllegalArgumentException("β's step must be ≥ 0 and its cap ≥ 1, got " + step + " and " + cap);
            }
            this.betaStep = step;
            this.betaCap = cap;
            return this;
        }

        /**
         * Sets when γ rises (default per epoch, as the reference).
         *
         * @param annealing the annealing
         * @return this builder
         */
        public Builder optAnnealing(Annealing annealing) {
            if (annealing == null) {
                throw new IllegalArgumentException("The annealing must not be null");
            }
            this.annealing = annealing;
            return this;
        }

        /**
         * Sets the order in which the hard mask gives up channels when the job's selector does not choose one.
         *
         * @param order the order
         * @return this builder
         */
        public Builder optOrder(ChannelOrder order) {
            if (order == null) {
                throw new IllegalArgumentException("The channel order must not be null");
            }
            this.order = order;
            return this;
        }

        /**
         * Builds the method.
         *
         * @return the method
         */
        public ChipNetMethod build() {
            return new ChipNetMethod(this);
        }
    }
}
