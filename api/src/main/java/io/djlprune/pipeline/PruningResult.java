package io.djlprune.pipeline;

import ai.djl.nn.Block;
import io.djlprune.chipnet.PruningEpoch;
import io.djlprune.compact.CompactionResult;
import io.djlprune.mask.MaskPlan;
import io.djlprune.training.EpochSummary;
import java.util.List;

/**
 * What a {@link PruningJob} produced: the plan, the compacted (and fine-tuned) network, the method's per-epoch
 * history, the fine-tuning epochs, and the accuracies along the way.
 *
 * @param plan the budget-exact plan (its validation accuracy is the hard mask's)
 * @param compaction the compacted network and what compaction changed
 * @param history one record per learning epoch of the method; empty for scoring methods
 * @param maskedTestAccuracy the test accuracy of the dense network under the hard mask, before compaction; NaN when
 *     the data has no test set
 * @param fineTuning one summary per fine-tuning epoch
 * @param testAccuracy the test accuracy of the compacted network after fine-tuning; NaN when the data has no test set
 * @param parameters the compacted network's parameters, as the cost model counts them
 * @param flops the compacted network's FLOPs for one sample
 * @param wallSeconds the job's wall time
 */
public record PruningResult(
        MaskPlan plan,
        CompactionResult compaction,
        List<PruningEpoch> history,
        double maskedTestAccuracy,
        List<EpochSummary> fineTuning,
        double testAccuracy,
        long parameters,
        long flops,
        double wallSeconds) {

    /**
     * Returns the compacted block.
     *
     * @return the block
     */
    public Block block() {
        return compaction.block();
    }
}
