package io.djlprune.cli;

import io.djlprune.chipnet.PruningEpoch;
import java.util.List;
import java.util.Map;

/**
 * The JSON report {@code djl-prune prune} writes beside the plan.
 *
 * @param status "completed", or "diverged" when a NaN stopped the run (the plan is then the best before it)
 * @param model the catalog model name
 * @param method the pruning method
 * @param budget the budget as KIND=TARGET
 * @param achieved the exact cost ratios of the plan, per budget kind
 * @param prunableGroups the group sizes of the dense network, prunable groups only
 * @param kept the kept channels per prunable group
 * @param bestEpoch the epoch whose hard mask was kept
 * @param validationAccuracy the hard-mask validation accuracy of the plan
 * @param testAccuracy the hard-mask test accuracy (measured once, at the end)
 * @param transferredFrom the plan file a mask was transferred from, or null
 * @param history one record per pruning epoch
 * @param wallTimeSeconds the time of the whole command
 */
record PruneReport(
        String status,
        String model,
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
        double wallTimeSeconds) {}
