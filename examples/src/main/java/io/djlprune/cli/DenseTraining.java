package io.djlprune.cli;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.evaluator.Accuracy;
import ai.djl.training.listener.TrainingListener;
import ai.djl.training.loss.Loss;
import ai.djl.translate.TranslateException;
import io.djlprune.checkpoint.Checkpointable;
import io.djlprune.checkpoint.PhaseCheckpoint;
import io.djlprune.data.DataSplits;
import io.djlprune.regularize.RegularizedLoss;
import io.djlprune.training.EpochSummary;
import io.djlprune.training.EpochSummaryListener;
import io.djlprune.training.TrainingListeners;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Trains a plain (ungated) model with the CLI's optimiser options; shared by {@code train} and {@code prune}. */
final class DenseTraining {

    private static final Logger logger = LoggerFactory.getLogger(DenseTraining.class);

    private DenseTraining() {}

    /**
     * Loads a model saved by {@code djl-prune train}, or pretrains the model here, or (no pretraining) initialises it.
     *
     * @param dense the model, block set, not initialised; named like the saved model
     * @param data the data
     * @param pretrained the folder of a saved model, or null
     * @param pretrainEpochs the epochs to pretrain when {@code pretrained} is null; 0 only initialises
     * @param batchSize the batch size the data was built with
     * @param device the device
     * @throws IOException if the folder does not exist or the data cannot be read
     * @throws MalformedModelException if the saved weights do not fit the model
     * @throws TranslateException if the data pipeline fails
     */
    static void loadOrPretrain(
            Model dense, DataSplits data, Path pretrained, int pretrainEpochs, int batchSize, Device device)
            throws IOException, MalformedModelException, TranslateException {
        if (pretrained != null) {
            if (!Files.isDirectory(pretrained)) {
                throw new IOException(
                        "Pretrained model folder " + pretrained + " does not exist (run 'djl-prune train' first)");
            }
            dense.getBlock().initialize(dense.getNDManager(), DataType.FLOAT32, data.batchShape(1));
            dense.load(pretrained, dense.getName());
            logger.info("Loaded pretrained {} from {}", dense.getName(), pretrained);
        } else if (pretrainEpochs > 0) {
            logger.info("Pretraining {} for {} epochs", dense.getName(), pretrainEpochs);
            fit(dense, data, pretrainEpochs, batchSize, new OptimizerOptions(), device);
        } else {
            dense.getBlock().initialize(dense.getNDManager(), DataType.FLOAT32, data.batchShape(1));
        }
    }

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
        return fit(model, data, epochs, batchSize, optimizer, device, Loss.softmaxCrossEntropyLoss(), null);
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
     * @param phase the checkpoint of this training, or null for none
     * @param listeners more training listeners, run after the epoch summaries (e.g. a {@code LiveArrayRecorder})
     * @return one summary per epoch
     * @throws IOException if the data cannot be read
     * @throws TranslateException if the data pipeline fails
     */
    static List<EpochSummary> fit(
            Model model,
            DataSplits data,
            int epochs,
            int batchSize,
            OptimizerOptions optimizer,
            Device device,
            Loss loss,
            PhaseCheckpoint phase,
            TrainingListener... listeners)
            throws IOException, TranslateException {
        int stepsPerEpoch = Math.toIntExact((data.train().size() + batchSize - 1) / batchSize);
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
