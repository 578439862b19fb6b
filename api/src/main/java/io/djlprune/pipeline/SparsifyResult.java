package io.djlprune.pipeline;

import io.djlprune.hoyer.MagnitudeThreshold;
import io.djlprune.hoyer.SparsityReport;
import io.djlprune.training.EpochSummary;
import java.util.List;

/**
 * What a {@link SparsifyJob} produced. The sparse network itself is the job's model, which keeps its shape: its small
 * weights are zero.
 *
 * @param threshold the threshold the weights were cut at (a count cut resolved to the threshold it chose)
 * @param regularizedTraining one summary per epoch of training with α·R; empty when the job trained no epochs
 * @param validationBeforePruning the validation accuracy after the regularised training, before the cut
 * @param validationAfterPruning the validation accuracy right after the cut, before fine-tuning
 * @param pruned the non-zero weights per layer right after the cut
 * @param fineTuning one summary per fine-tuning epoch (zeros held); empty for no fine-tuning
 * @param testAccuracy the test accuracy of the final sparse network, measured once at the end
 * @param sparsity the non-zero weights per layer of the final sparse network
 * @param wallSeconds the job's wall time
 */
public record SparsifyResult(
        MagnitudeThreshold threshold,
        List<EpochSummary> regularizedTraining,
        double validationBeforePruning,
        double validationAfterPruning,
        SparsityReport pruned,
        List<EpochSummary> fineTuning,
        double testAccuracy,
        SparsityReport sparsity,
        double wallSeconds) {

    /**
     * Creates a result, copying the lists.
     *
     * @param threshold the threshold
     * @param regularizedTraining the regularised epochs
     * @param validationBeforePruning the validation accuracy before the cut
     * @param validationAfterPruning the validation accuracy after the cut
     * @param pruned the sparsity right after the cut
     * @param fineTuning the fine-tuning epochs
     * @param testAccuracy the final test accuracy
     * @param sparsity the final sparsity
     * @param wallSeconds the wall time
     */
    public SparsifyResult {
        regularizedTraining = List.copyOf(regularizedTraining);
        fineTuning = List.copyOf(fineTuning);
    }

    /**
     * Returns the fraction of the convolution and linear weights that are non-zero in the final network.
     *
     * @return non-zero / weights, in [0, 1]; 0 for a network without such weights
     */
    public double nonzeroFraction() {
        long weights = sparsity.totalWeights();
        return weights == 0 ? 0 : sparsity.totalNonzero() / (double) weights;
    }
}
