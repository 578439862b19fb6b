package io.djlprune.chipnet;

import ai.djl.Device;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.evaluator.Accuracy;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import io.djlprune.gate.Gate;
import io.djlprune.training.EpochSummaryListener;
import io.djlprune.training.ParameterGroupOptimizer;
import io.djlprune.training.ResumableAdam;
import io.djlprune.training.TrainingListeners;
import java.util.HashSet;
import java.util.Set;

/**
 * The reference ChipNet pruning-phase training setup as a DJL {@link DefaultTrainingConfig}: the {@link ChipNetLoss},
 * AdamW with the same learning rate for weights and ψ but weight decay only on the weights (ψ gets none), accuracy
 * and the loss terms as metrics, DJL's default listeners, an epoch summary and the {@link Pruner}. For runs much
 * shorter than the reference, {@link #optPsiLearningRateForSteps} gives ψ the reference's travel.
 */
public final class ChipNetRecipe {

    /** Optimiser steps of the reference pruning run: 20 epochs of 45,000 CIFAR-10 training images at batch 32. */
    public static final long REFERENCE_STEPS = 28_125;

    private float learningRate = 1e-3f;
    private float psiLearningRate = Float.NaN;
    private long psiSteps;
    private float weightDecay = 1e-3f;
    private EpochSummaryListener epochSummaries;

    /**
     * Sets the learning rate of weights and ψ (default 1e-3).
     *
     * @param learningRate &gt; 0
     * @return this recipe
     */
    public ChipNetRecipe optLearningRate(float learningRate) {
        if (!(learningRate > 0) || !Float.isFinite(learningRate)) {
            throw new IllegalArgumentException("The learning rate must be positive, got " + learningRate);
        }
        this.learningRate = learningRate;
        return this;
    }

    /**
     * Sets a separate learning rate for ψ (default: the weights' rate, as the reference). A larger one lets the gates
     * settle within the few epochs a CPU run affords, so per-step γ annealing can make them crisp.
     *
     * @param psiLearningRate &gt; 0
     * @return this recipe
     */
    public ChipNetRecipe optPsiLearningRate(float psiLearningRate) {
        if (!(psiLearningRate > 0) || !Float.isFinite(psiLearningRate)) {
            throw new IllegalArgumentException("The ψ learning rate must be positive, got " + psiLearningRate);
        }
        this.psiLearningRate = psiLearningRate;
        return this;
    }

    /**
     * Scales ψ's learning rate to the length of the run, unless {@link #optPsiLearningRate} set one: lr_ψ = lr ·
     * {@link #REFERENCE_STEPS} / steps, never below lr. Adam moves ψ by about lr_ψ per step, so ψ gets the travel it
     * has in the reference run. Why: a gate only closes (z &lt; ½) once ψ falls below about −0.8 at γ = 2 and −5.9 at
     * γ = 256, but at the reference rate 1e-3 a 280-step run moves ψ by at most 0.28, so the hard mask is decided by
     * ψ's random start (measured on LeNet-5 at FLOPs 0.1: soft budget still 0.999 after 280 steps).
     *
     * @param steps the optimiser steps of the whole pruning run, &gt; 0
     * @return this recipe
     */
    public ChipNetRecipe optPsiLearningRateForSteps(long steps) {
        if (steps <= 0) {
            throw new IllegalArgumentException("The pruning run needs at least one step, got " + steps);
        }
        this.psiSteps = steps;
        return this;
    }

    /**
     * Returns the learning rate ψ will train with: the one set, else the one scaled to the run's steps, else the
     * weights' rate.
     *
     * @return lr_ψ
     */
    public float getPsiLearningRate() {
        if (!Float.isNaN(psiLearningRate)) {
            return psiLearningRate;
        }
        if (psiSteps > 0) {
            return (float) Math.max(learningRate, (double) learningRate * REFERENCE_STEPS / psiSteps);
        }
        return learningRate;
    }

    /**
     * Sets the weight decay of the weights (default 1e-3; ψ never decays).
     *
     * @param weightDecay ≥ 0
     * @return this recipe
     */
    public ChipNetRecipe optWeightDecay(float weightDecay) {
        if (!(weightDecay >= 0) || !Float.isFinite(weightDecay)) {
            throw new IllegalArgumentException("Weight decay must be ≥ 0, got " + weightDecay);
        }
        this.weightDecay = weightDecay;
        return this;
    }

    /**
     * Returns the epoch-summary listener of the last config built, so a checkpoint can save its history.
     *
     * @return the listener, or null before {@link #trainingConfig} is called
     */
    public EpochSummaryListener getEpochSummaries() {
        return epochSummaries;
    }

    /**
     * Builds the training config.
     *
     * @param network the gated network
     * @param loss its loss
     * @param pruner the pruner listener
     * @param epochs the number of epochs, for the epoch summary
     * @param device the device to train on
     * @return the config
     */
    public DefaultTrainingConfig trainingConfig(
            GatedNetwork network, ChipNetLoss loss, Pruner pruner, int epochs, Device device) {
        epochSummaries = new EpochSummaryListener(epochs, "Accuracy");
        Set<String> psiIds = new HashSet<>();
        for (Gate gate : network.getGates()) {
            psiIds.add(gate.getPsi().getId());
        }
        // ResumableAdam is DJL's AdamW update with state a checkpoint can save
        Optimizer weights =
                ResumableAdam.builder()
                        .optLearningRateTracker(Tracker.fixed(learningRate))
                        .optWeightDecays(weightDecay)
                        .build();
        Optimizer psi =
                ResumableAdam.builder()
                        .optLearningRateTracker(Tracker.fixed(getPsiLearningRate()))
                        .optWeightDecays(0f)
                        .build();
        Optimizer optimizer = ParameterGroupOptimizer.builder().addGroup(psiIds, psi).setDefault(weights).build();
        DefaultTrainingConfig config =
                new DefaultTrainingConfig(loss)
                        .optOptimizer(optimizer)
                        .optDevices(new Device[] {device})
                        .addEvaluator(new Accuracy())
                        .addEvaluator(loss.softBudgetMetric())
                        .addEvaluator(loss.budgetMetric())
                        .addEvaluator(loss.crispnessMetric());
        if (loss.getMaskPullWeight() > 0) {
            config.addEvaluator(loss.maskRemovedMetric());
        }
        return config.addTrainingListeners(TrainingListeners.logging())
                .addTrainingListeners(epochSummaries)
                .addTrainingListeners(pruner);
    }
}
