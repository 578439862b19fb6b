package io.djlprune.training;

import io.djlprune.memory.MemorySample;

/**
 * What one training epoch achieved: the numbers a user reads in the log and finds again in a report.
 *
 * @param epoch the 1-based epoch number
 * @param trainLoss the mean training loss over the epoch
 * @param trainAccuracy the training accuracy over the epoch (as measured during training, with augmentation)
 * @param validationAccuracy the validation accuracy after the epoch, or {@code NaN} without a validation set
 * @param seconds the wall time of the epoch, training and validation together
 * @param memory the process's resident memory and the engine's live native arrays at the end of the epoch
 */
public record EpochSummary(
        int epoch, float trainLoss, float trainAccuracy, float validationAccuracy, double seconds, MemorySample memory) {

    /**
     * Returns the one-line form used in logs.
     *
     * @param totalEpochs the number of epochs planned, for the "3/5" prefix
     * @return a line such as {@code epoch 3/5: loss 0.3120, train acc 0.8870, val acc 0.8801, 12.4 s, rss 612 MiB,
     *     28 live arrays}
     */
    public String toLine(int totalEpochs) {
        return String.format(
                "epoch %d/%d: loss %.4f, train acc %.4f, val acc %.4f, %.1f s, %s",
                epoch, totalEpochs, trainLoss, trainAccuracy, validationAccuracy, seconds, memory.toText());
    }
}
