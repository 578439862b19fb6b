package io.djlprune.cli;

import io.djlprune.hoyer.SparsityReport;
import io.djlprune.pipeline.SparsifyResult;
import io.djlprune.training.EpochSummary;
import java.util.List;

/**
 * The JSON report {@code djl-prune sparsify} writes beside the sparse model: the recipe, the accuracy after each phase
 * and the non-zero weights per layer.
 *
 * @param model the catalog model name
 * @param regularizer {@code hs} or {@code group-hs}
 * @param alpha the regulariser weight α
 * @param threshold the pruning threshold as text, e.g. {@code |w| < 0.001} or {@code |w| < 0.5·std(W)}
 * @param regularizedTraining one summary per epoch of training with α·R
 * @param validationBeforePruning validation accuracy after the regularised training
 * @param validationAfterPruning validation accuracy right after zeroing the small weights, before fine-tuning
 * @param nonzeroAfterPruning non-zero conv/linear weights right after pruning
 * @param fineTuning one summary per fine-tuning epoch (zeros held)
 * @param testAccuracy test accuracy of the final sparse model (measured once, at the end)
 * @param weights conv and linear weights of the network
 * @param nonzero non-zero conv and linear weights of the final model
 * @param layers non-zero weights per layer of the final model
 * @param wallTimeSeconds the time of the whole command
 */
record SparsifyReport(
        String model,
        String regularizer,
        float alpha,
        String threshold,
        List<EpochSummary> regularizedTraining,
        double validationBeforePruning,
        double validationAfterPruning,
        long nonzeroAfterPruning,
        List<EpochSummary> fineTuning,
        double testAccuracy,
        long weights,
        long nonzero,
        List<SparsityReport.LayerCount> layers,
        double wallTimeSeconds) {

    /**
     * Records what a sparsify job produced.
     *
     * @param model the catalog model name
     * @param regularizer {@code hs} or {@code group-hs}
     * @param alpha the regulariser weight α
     * @param result the job's result
     * @param wallTimeSeconds the time of the whole command
     * @return the report
     */
    static SparsifyReport of(
            String model, String regularizer, float alpha, SparsifyResult result, double wallTimeSeconds) {
        return new SparsifyReport(
                model, regularizer, alpha, result.threshold().toString(), result.regularizedTraining(),
                result.validationBeforePruning(), result.validationAfterPruning(), result.pruned().totalNonzero(),
                result.fineTuning(), result.testAccuracy(), result.sparsity().totalWeights(),
                result.sparsity().totalNonzero(), result.sparsity().layers(), wallTimeSeconds);
    }
}
