package io.djlprune.training;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.evaluator.Accuracy;
import ai.djl.training.listener.TrainingListener;
import ai.djl.training.loss.Loss;
import ai.djl.translate.TranslateException;
import io.djlprune.checkpoint.Checkpointable;
import io.djlprune.checkpoint.PhaseCheckpoint;
import io.djlprune.data.DataSplits;
import io.djlprune.regularize.RegularizedLoss;
import java.io.IOException;
import java.util.List;

/**
 * Trains an image classifier for some epochs on the training split, validating each epoch, with the default
 * listeners ({@link TrainingListeners#logging()}), an epoch summary (accuracy, time, resident memory) and, when given, a
 * checkpoint per epoch. Dense pretraining, the regularised phase of DeepHoyer, slimming and group lasso, and
 * fine-tuning all train this way.
 */
public final class ClassifierTraining {

    private ClassifierTraining() {}

    /**
     * Trains a model.
     *
     * @param model the model, block set (initialised or not)
     * @param data the data
     * @param epochs the epochs, ≥ 1
     * @param batchSize the batch size the data was built with
     * @param optimizer the optimiser recipe
     * @param device the device
     * @param loss the training loss; a {@link RegularizedLoss} adds its term as a metric
     * @param phase the checkpoint of this training, or null for none
     * @param listeners more training listeners, run after the epoch summaries
     * @return one summary per epoch of this run (a resumed run's earlier epochs included)
     * @throws IOException if the data or the checkpoint cannot be read
     * @throws TranslateException if the data pipeline fails
     */
    public static List<EpochSummary> fit(
            Model model,
            DataSplits data,
            int epochs,
            int batchSize,
            OptimizerRecipe optimizer,
            Device device,
            Loss loss,
            PhaseCheckpoint phase,
            TrainingListener... listeners)
            throws IOException, TranslateException {
        if (epochs < 1) {
            throw new IllegalArgumentException("Training needs at least 1 epoch, got " + epochs);
        }
        long stepsPerEpoch = (data.train().size() + batchSize - 1) / batchSize;
        EpochSummaryListener summaries = new EpochSummaryListener(epochs, "Accuracy");
        DefaultTrainingConfig config =
                new DefaultTrainingConfig(loss)
                        .optOptimizer(optimizer.build(stepsPerEpoch * epochs))
                        .optDevices(new Device[] {device})
                        .addEvaluator(new Accuracy())
                        .addTrainingListeners(TrainingListeners.logging())
                        .addTrainingListeners(summaries)
                        .addTrainingListeners(listeners);
        if (loss instanceof RegularizedLoss regularized) {
            config.addEvaluator(regularized.regularizerMetric());
        }
        PhaseCheckpoint.fit(phase, model, config, new Checkpointable[] {summaries}, data, epochs, batchSize, "training");
        return summaries.getEpochs();
    }
}
