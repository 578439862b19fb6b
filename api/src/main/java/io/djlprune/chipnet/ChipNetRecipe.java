package io.djlprune.chipnet;

import ai.djl.Device;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.evaluator.Accuracy;
import ai.djl.training.listener.TrainingListener;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import io.djlprune.gate.Gate;
import io.djlprune.training.EpochSummaryListener;
import io.djlprune.training.ParameterGroupOptimizer;
import java.util.HashSet;
import java.util.Set;

/**
 * The reference ChipNet pruning-phase training setup as a DJL {@link DefaultTrainingConfig}: the {@link ChipNetLoss},
 * AdamW with the same learning rate for weights and ψ but weight decay only on the weights (ψ gets none), accuracy
 * and the loss terms as metrics, DJL's default listeners, an epoch summary and the {@link Pruner}.
 */
public final class ChipNetRecipe {

    private float learningRate = 1e-3f;
    private float psiLearningRate = Float.NaN;
    private float weightDecay = 1e-3f;

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
        Set<String> psiIds = new HashSet<>();
        for (Gate gate : network.getGates()) {
            psiIds.add(gate.getPsi().getId());
        }
        Optimizer weights =
                Optimizer.adamW().optLearningRateTracker(Tracker.fixed(learningRate)).optWeightDecays(weightDecay).build();
        float psiRate = Float.isNaN(psiLearningRate) ? learningRate : psiLearningRate;
        Optimizer psi = Optimizer.adamW().optLearningRateTracker(Tracker.fixed(psiRate)).optWeightDecays(0f).build();
        Optimizer optimizer = ParameterGroupOptimizer.builder().addGroup(psiIds, psi).setDefault(weights).build();
        return new DefaultTrainingConfig(loss)
                .optOptimizer(optimizer)
                .optDevices(new Device[] {device})
                .addEvaluator(new Accuracy())
                .addEvaluator(loss.softBudgetMetric())
                .addEvaluator(loss.budgetMetric())
                .addEvaluator(loss.crispnessMetric())
                .addTrainingListeners(TrainingListener.Defaults.logging())
                .addTrainingListeners(new EpochSummaryListener(epochs, "Accuracy"))
                .addTrainingListeners(pruner);
    }
}
