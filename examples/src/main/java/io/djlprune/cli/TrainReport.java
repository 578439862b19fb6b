package io.djlprune.cli;

import io.djlprune.training.EpochSummary;
import java.util.List;

/**
 * The JSON report {@code djl-prune train} writes beside the model: enough to reload the model and to compare runs.
 *
 * @param model the catalog name of the model
 * @param dataset the dataset name
 * @param classes the number of classes
 * @param inputShape the shape of one sample, channels first
 * @param device the device it trained on
 * @param engine the DJL engine and its version
 * @param epochs the number of epochs
 * @param batchSize the batch size
 * @param optimizer the optimiser and schedule
 * @param seed the seed
 * @param augment whether training images were augmented
 * @param trainSamples the number of training samples
 * @param parameterCount the number of trainable scalars
 * @param history one summary per epoch
 * @param validationAccuracy the validation accuracy after the last epoch
 * @param testAccuracy the test accuracy after the last epoch
 * @param wallTimeSeconds the time of the whole command
 * @param secondsPerEpoch the mean time of one epoch
 */
record TrainReport(
        String model,
        String dataset,
        int classes,
        long[] inputShape,
        String device,
        String engine,
        int epochs,
        int batchSize,
        String optimizer,
        long seed,
        boolean augment,
        long trainSamples,
        long parameterCount,
        List<EpochSummary> history,
        double validationAccuracy,
        double testAccuracy,
        double wallTimeSeconds,
        double secondsPerEpoch) {}
