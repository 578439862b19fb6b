package io.djlprune.chipnet;

import io.djlprune.memory.MemorySample;

/**
 * What one ChipNet pruning epoch achieved, as the {@link Pruner} logs it and reports keep.
 *
 * @param epoch the 1-based epoch
 * @param softRatio the soft cost ratio V of the soft gates after the epoch
 * @param hardRatio the exact cost ratio of the hard mask derived after the epoch
 * @param softAccuracy validation accuracy with the soft gates (NaN if not measured)
 * @param hardAccuracy validation accuracy with the hard mask
 * @param beta β during the epoch
 * @param gamma γ during the epoch
 * @param kept kept channels per group id of the hard mask
 * @param seconds wall time of the epoch including both validations
 * @param memory the process's resident memory and the engine's live native arrays after the epoch
 */
public record PruningEpoch(
        int epoch,
        double softRatio,
        double hardRatio,
        double softAccuracy,
        double hardAccuracy,
        double beta,
        double gamma,
        int[] kept,
        double seconds,
        MemorySample memory) {

    /**
     * Returns the one-line log form.
     *
     * @param totalEpochs the epochs planned
     * @return the line
     */
    public String toLine(int totalEpochs) {
        return String.format(
                "prune epoch %d/%d: soft budget %.4f, hard budget %.4f, val acc soft %.4f hard %.4f,"
                        + " β %.3f γ %.1f, kept %s, %.1f s, %s",
                epoch, totalEpochs, softRatio, hardRatio, softAccuracy, hardAccuracy, beta, gamma,
                java.util.Arrays.toString(kept), seconds, memory.toText());
    }
}
