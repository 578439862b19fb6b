package io.djlprune.chipnet;

import io.djlprune.gate.GateSchedule;
import io.djlprune.mask.ChannelOrder;
import java.util.Locale;

/**
 * Named sets of ChipNet's choices beyond the loss weights and γ's schedule: what the budget term counts, how the hard
 * mask is chosen and scaled, whether the run ends under a fixed mask, how fast ψ learns and where it starts, β's
 * schedule, and the batch size.
 * {@link #REFERENCE} runs the published code's settings exactly; {@link #DEFAULT} is this library's, chosen by
 * measurement (each departure and the run that chose it is listed in {@code docs/CHIPNET.md}).
 */
public enum ChipNetPreset {
    /**
     * The published code: soft count, budget weight 30, crispness weight 10, gates that scale by z, kept channels at 1, global ψ order, ψ at the weights' rate, batch 32, β + 0.02 per
     * epoch up to 6, ψ uniform in [0, 0.01).
     */
    REFERENCE(
            "reference",
            BudgetCount.SOFT_COUNT,
            ChipNetLoss.REFERENCE_BUDGET_WEIGHT,
            10f,
            false,
            false,
            0,
            ChannelOrder.GLOBAL_SCORE,
            false,
            32,
            0.02,
            6,
            false,
            0.1f),
    /**
     * This library's defaults: budget on the gate values, budget weight 300, crispness weight 200, sampled gates, kept channels at their soft value, the soft-share order, ψ's
     * rate scaled to the run, batch 128, β + 2 per epoch up to 40, ψ started by L1 rank over a spread of 4.
     */
    DEFAULT("default", BudgetCount.GATE, 300f, 200f, true, true, 0, ChannelOrder.SOFT_SHARE, true, 128, 2, 40, true, 4f);

    private final String key;
    private final BudgetCount budgetCount;
    private final float budgetWeight;
    private final float crispnessWeight;
    private final boolean sampledGates;
    private final boolean keepSoftScale;
    private final double hardFinish;
    private final ChannelOrder order;
    private final boolean psiRateForSteps;
    private final int batchSize;
    private final double betaStep;
    private final double betaCap;
    private final boolean psiFromL1;
    private final float psiSpread;

    ChipNetPreset(
            String key,
            BudgetCount budgetCount,
            float budgetWeight,
            float crispnessWeight,
            boolean sampledGates,
            boolean keepSoftScale,
            double hardFinish,
            ChannelOrder order,
            boolean psiRateForSteps,
            int batchSize,
            double betaStep,
            double betaCap,
            boolean psiFromL1,
            float psiSpread) {
        this.key = key;
        this.budgetCount = budgetCount;
        this.budgetWeight = budgetWeight;
        this.crispnessWeight = crispnessWeight;
        this.sampledGates = sampledGates;
        this.keepSoftScale = keepSoftScale;
        this.hardFinish = hardFinish;
        this.order = order;
        this.psiRateForSteps = psiRateForSteps;
        this.batchSize = batchSize;
        this.betaStep = betaStep;
        this.betaCap = betaCap;
        this.psiFromL1 = psiFromL1;
        this.psiSpread = psiSpread;
    }

    /**
     * Returns the preset with a name.
     *
     * @param name "reference" or "default"
     * @return the preset
     * @throws IllegalArgumentException naming the choices for anything else
     */
    public static ChipNetPreset parse(String name) {
        for (ChipNetPreset preset : values()) {
            if (preset.key.equals(name.toLowerCase(Locale.ROOT))) {
                return preset;
            }
        }
        throw new IllegalArgumentException("Unknown ChipNet recipe '" + name + "': use default or reference");
    }

    /**
     * Returns the preset's name.
     *
     * @return "reference" or "default"
     */
    public String key() {
        return key;
    }

    /**
     * What the budget term counts per channel; see {@link ChipNetLoss.Builder#optBudgetCount}.
     *
     * @return the count
     */
    public BudgetCount budgetCount() {
        return budgetCount;
    }

    /**
     * The weight of the budget term; see {@link ChipNetLoss.Builder#optBudgetWeight}.
     *
     * @return w_budget
     */
    public float budgetWeight() {
        return budgetWeight;
    }

    /**
     * Whether the soft gates sample while training (each step keeps a channel whole with probability z) rather than
     * scale by z; see {@link io.djlprune.gate.GateController#setSampled}.
     *
     * @return true to sample
     */
    public boolean sampledGates() {
        return sampledGates;
    }

    /**
     * The weight of the crispness term; see {@link ChipNetLoss.Builder#optCrispnessWeight}.
     *
     * @return w_crisp
     */
    public float crispnessWeight() {
        return crispnessWeight;
    }

    /**
     * Whether the hard mask's kept channels keep their soft gate value; see {@link Pruner.Builder#optKeepSoftScale}.
     *
     * @return true to keep z
     */
    public boolean keepSoftScale() {
        return keepSoftScale;
    }

    /**
     * The share of pruning steps trained under a fixed hard mask at the end; see {@link Pruner.Builder#optHardFinish}.
     *
     * @return in [0, 1)
     */
    public double hardFinish() {
        return hardFinish;
    }

    /**
     * The order in which the hard mask gives up channels.
     *
     * @return the order
     */
    public ChannelOrder order() {
        return order;
    }

    /**
     * Whether ψ's learning rate is scaled to the run's length ({@link ChipNetRecipe#optPsiLearningRateForSteps}) rather
     * than equal to the weights'.
     *
     * @return true to scale
     */
    public boolean psiRateForSteps() {
        return psiRateForSteps;
    }

    /**
     * The batch size of the pruning phase.
     *
     * @return the batch size
     */
    public int batchSize() {
        return batchSize;
    }

    /**
     * β's rise per epoch (see {@link io.djlprune.gate.GateSchedule.Builder#optBetaStep}).
     *
     * @return the step
     */
    public double betaStep() {
        return betaStep;
    }

    /**
     * β's cap.
     *
     * @return the cap
     */
    public double betaCap() {
        return betaCap;
    }

    /**
     * Whether ψ starts spread by each channel's L1 filter-norm rank within its group (else uniform in [0, 0.01), the
     * reference); see {@link io.djlprune.gate.PsiWarmStart}.
     *
     * @return true for the L1 start
     */
    public boolean psiFromL1() {
        return psiFromL1;
    }

    /**
     * The range of ψ within a group for the L1 start.
     *
     * @return the spread
     */
    public float psiSpread() {
        return psiSpread;
    }

    /**
     * Returns the β/γ/steepness schedule of the preset (γ and the steepness as the reference; β as {@link #betaStep}
     * and {@link #betaCap}), for {@link Pruner.Builder#optSchedule}.
     *
     * @return the schedule
     */
    public GateSchedule schedule() {
        return GateSchedule.builder().optBetaStep(betaStep).optBetaCap(betaCap).build();
    }

    /**
     * Returns the command-line name, so option help and messages show what a user types.
     *
     * @return {@link #key()}
     */
    @Override
    public String toString() {
        return key();
    }
}
