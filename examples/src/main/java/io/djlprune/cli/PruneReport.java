package io.djlprune.cli;

import io.djlprune.chipnet.PruningEpoch;
import io.djlprune.cost.BudgetKind;
import io.djlprune.data.DataSplits;
import io.djlprune.graph.ChannelGraph;
import io.djlprune.graph.ChannelGroup;
import io.djlprune.mask.MaskPlan;
import io.djlprune.training.EpochSummary;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON report {@code djl-prune prune} writes beside the plan.
 *
 * @param status "completed", or "diverged" when a NaN stopped the run (the plan is then the best before it)
 * @param model the catalog model name
 * @param dataset the data ({@code fashion-mnist} or {@code imagefolder:DIR})
 * @param classes the number of classes (outputs of the model)
 * @param classNames the class names by index (an image folder's sorted folder names), empty when unnamed
 * @param inputShape the shape of one sample, channels first ({@code export --from} rebuilds the model with it)
 * @param weights the PyTorch state_dict the dense model was imported from, or null
 * @param testSet which images the test accuracies were measured on, or why they are absent
 * @param method the pruning method
 * @param budget the budget as KIND=TARGET
 * @param achieved the exact cost ratios of the plan, per budget kind
 * @param prunableGroups the group sizes of the dense network, prunable groups only
 * @param kept the kept channels per prunable group
 * @param bestEpoch the epoch whose hard mask was kept
 * @param validationAccuracy the hard-mask validation accuracy of the plan
 * @param testAccuracy the hard-mask test accuracy (measured once, at the end), or null without a test set
 * @param transferredFrom the plan file a mask was transferred from, or null
 * @param history one record per pruning epoch
 * @param fineTuning one summary per fine-tuning epoch of the compacted model
 * @param finalTestAccuracy the test accuracy of the compacted, fine-tuned model (the exported one), or null without a
 *     test set
 * @param parameters trainable parameters of the exported model
 * @param flops FLOPs of one forward pass of one sample through the exported model
 * @param wallTimeSeconds the time of the whole command
 * @param latency a latency budget's predicted and measured latency ratios, or null for other budgets
 */
record PruneReport(
        String status,
        String model,
        String dataset,
        Integer classes,
        List<String> classNames,
        long[] inputShape,
        String weights,
        String testSet,
        String method,
        String budget,
        Map<String, Double> achieved,
        int[] prunableGroups,
        int[] kept,
        Integer bestEpoch,
        Double validationAccuracy,
        Double testAccuracy,
        String transferredFrom,
        List<PruningEpoch> history,
        List<EpochSummary> fineTuning,
        Double finalTestAccuracy,
        Long parameters,
        Long flops,
        double wallTimeSeconds,
        LatencyCheck latency) {

    /**
     * Describes a plan before compaction.
     *
     * @param status "completed" or "diverged"
     * @param plan the plan
     * @param graph the dense network's graph
     * @param maskedTest the hard mask's test accuracy, or null when not measured
     * @param transferredFrom the plan file a mask was transferred from, or null
     * @param history the method's epochs
     * @param start the command's start, from {@link System#nanoTime()}
     * @return the report
     */
    static PruneReport of(
            String status,
            MaskPlan plan,
            ChannelGraph graph,
            Double maskedTest,
            String transferredFrom,
            List<PruningEpoch> history,
            long start) {
        Map<String, Double> achieved = new LinkedHashMap<>();
        for (BudgetKind kind : BudgetKind.values()) {
            if (plan.hasRatio(kind)) {
                achieved.put(kind.key(), plan.getRatio(kind));
            }
        }
        int[] sizes = graph.prunableGroups().stream().mapToInt(ChannelGroup::size).toArray();
        int[] keptAll = plan.keptCounts();
        int[] kept = graph.prunableGroups().stream().mapToInt(g -> keptAll[g.id()]).toArray();
        return new PruneReport(
                status, plan.getModel(), null, null, List.of(), null, null, null, plan.getMethod(), plan.getBudget().toString(),
                achieved, sizes, kept, plan.getEpoch(), plan.getValidationAccuracy(), maskedTest, transferredFrom, history, List.of(), null,
                null, null, (System.nanoTime() - start) / 1e9, null);
    }

    /**
     * Returns the report with the data it was made on.
     *
     * @param dataName the data ({@code fashion-mnist} or {@code imagefolder:DIR})
     * @param splits the data's splits, for the class count and names and the sample shape
     * @param weightsFile the imported state_dict, or null
     * @param testImages which images the test accuracies were measured on, or why they are absent
     * @return the report
     */
    PruneReport withData(String dataName, DataSplits splits, java.nio.file.Path weightsFile, String testImages) {
        return new PruneReport(
                status, model, dataName, splits.classes(), splits.classNames(), splits.sampleShape().getShape(),
                weightsFile == null ? null : weightsFile.toString(), testImages, method,
                budget, achieved, prunableGroups, kept, bestEpoch, validationAccuracy, testAccuracy, transferredFrom,
                history, fineTuning, finalTestAccuracy, parameters, flops, wallTimeSeconds, latency);
    }

    /**
     * Returns the report with the results of compaction, fine-tuning and export.
     *
     * @param fineTuned the fine-tuning epochs
     * @param finalTest the exported model's test accuracy, or null without a test set
     * @param exportedParameters its parameters
     * @param exportedFlops its FLOPs
     * @param wallTime the time of the whole command
     * @return the completed report
     */
    PruneReport withExport(
            List<EpochSummary> fineTuned, Double finalTest, long exportedParameters, long exportedFlops, double wallTime) {
        return new PruneReport(
                status, model, dataset, classes, classNames, inputShape, weights, testSet, method, budget, achieved, prunableGroups, kept,
                bestEpoch, validationAccuracy, testAccuracy, transferredFrom, history, fineTuned, finalTest, exportedParameters, exportedFlops,
                wallTime, latency);
    }

    /**
     * Returns the report with a latency budget's predicted and measured ratios.
     *
     * @param check the measurement
     * @return the report
     */
    PruneReport withLatency(LatencyCheck check) {
        return new PruneReport(
                status, model, dataset, classes, classNames, inputShape, weights, testSet, method, budget, achieved, prunableGroups, kept,
                bestEpoch, validationAccuracy, testAccuracy, transferredFrom, history, fineTuning, finalTestAccuracy,
                parameters, flops, wallTimeSeconds, check);
    }
}
