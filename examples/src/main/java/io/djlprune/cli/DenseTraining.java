package io.djlprune.cli;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.EasyTrain;
import ai.djl.training.Trainer;
import ai.djl.training.evaluator.Accuracy;
import ai.djl.training.listener.TrainingListener;
import ai.djl.training.loss.Loss;
import ai.djl.translate.TranslateException;
import io.djlprune.hoyer.RegularizedLoss;
import io.djlprune.training.EpochSummary;
import io.djlprune.training.EpochSummaryListener;
import io.djlprune.zoo.data.DataSplits;
import java.io.IOException;
import java.util.List;

/** Trains a plain (ungated) model with the CLI's optimiser options; shared by {@code train} and {@code prune}. */
final class DenseTraining {

    private DenseTraining() {}

    /**
     * Trains the model's block for some epochs on the training split, validating each epoch.
     *
     * @param model the model, block set and not necessarily initialised
     * @param data the data
     * @param epochs the epochs, ≥ 1
     * @param batchSize the batch size the data was built with
     * @param optimizer the optimiser options
     * @param device the device
     * @return one summary per epoch
     * @throws IOException if the data cannot be read
     * @throws TranslateException if the data pipeline fails
     */
    static List<EpochSummary> fit(
            Model model, DataSplits data, int epochs, int batchSize, OptimizerOptions optimizer, Device device)
            throws IOException, TranslateException {
        return fit(model, data, epochs, batchSize, optimizer, device, Loss.softmaxCrossEntropyLoss());
    }

    /**
     * Trains with a given loss (e.g. a sparsity-regularised one, whose terms are added as metrics when it has them).
     *
     * @param model the model
     * @param data the data
     * @param epochs the epochs, ≥ 1
     * @param batchSize the batch size the data was built with
     * @param optimizer the optimiser options
     * @param device the device
     * @param loss the training loss
     * @return one summary per epoch
     * @throws IOException if the data cannot be read
     * @throws TranslateException if the data pipeline fails
     */
    static List<EpochSummary> fit(
            Model model, DataSplits data, int epochs, int batchSize, OptimizerOptions optimizer, Device device, Loss loss)
            throws IOException, TranslateException {
        int stepsPerEpoch = Math.toIntExact((data.train().size() + batchSize - 1) / batchSize);
        EpochSummaryListener summaries = new EpochSummaryListener(epochs, "Accuracy");
        DefaultTrainingConfig config =
                new DefaultTrainingConfig(loss)
                        .optOptimizer(optimizer.build(stepsPerEpoch * epochs))
                        .optDevices(new Device[] {device})
                        .addEvaluator(new Accuracy())
                        .addTrainingListeners(TrainingListener.Defaults.logging())
                        .addTrainingListeners(summaries);
        if (loss instanceof RegularizedLoss regularized) {
            config.addEvaluator(regularized.regularizerMetric());
        }
        try (Trainer trainer = model.newTrainer(config)) {
            trainer.initialize(data.batchShape(batchSize));
            EasyTrain.fit(trainer, epochs, data.train(), data.validation());
        }
        return summaries.getEpochs();
    }
}
