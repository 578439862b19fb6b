package io.djlprune.cli;

/**
 * What a latency budget achieved, in {@code prune-report.json}: the target, the latency ratio the table predicted for
 * the mask, and the ratio measured by timing the exported pruned {@code model.pt} against the dense one, interleaved.
 *
 * @param target the budget's target ratio
 * @param predictedRatio the table's predicted latency of the mask over that of the dense network
 * @param measuredRatio the median over interleaved rounds of pruned / dense time
 * @param measuredRatioP25 the 25th percentile of the per-round ratios
 * @param measuredRatioP75 the 75th percentile of the per-round ratios
 * @param denseMs the dense model.pt's median time per batch
 * @param prunedMs the pruned model.pt's median time per batch
 * @param batchSize the batch size
 * @param device the device
 * @param rounds the timed rounds
 * @param table the latency table's file
 */
record LatencyCheck(
        double target,
        double predictedRatio,
        double measuredRatio,
        double measuredRatioP25,
        double measuredRatioP75,
        double denseMs,
        double prunedMs,
        int batchSize,
        String device,
        int rounds,
        String table) {}
