package io.djlprune.compact;

import ai.djl.ndarray.types.Shape;
import io.djlprune.mask.MaskPlan;
import java.io.IOException;

/**
 * Where a pruned, compacted model goes when pruning ends, e.g. a verified TorchScript file (engine-ops'
 * {@code TorchScriptExport}). Kept as an interface so the engine-agnostic {@code Pruner} can export without depending
 * on an engine.
 */
@FunctionalInterface
public interface CompactModelExporter {

    /**
     * Writes the compacted model.
     *
     * @param compact the compacted block and its report
     * @param plan the plan it was compacted with
     * @param inputShape the input shape the model was traced with (batch axis included)
     * @throws IOException if it cannot be written; nothing partial may be left behind
     */
    void export(CompactionResult compact, MaskPlan plan, Shape inputShape) throws IOException;

    /**
     * Writes the compacted model with its measured test accuracy, for exporters that record it (the default ignores
     * the accuracy).
     *
     * @param compact the compacted block and its report
     * @param plan the plan it was compacted with
     * @param inputShape the input shape the model was traced with (batch axis included)
     * @param testAccuracy the compacted model's test accuracy
     * @throws IOException if it cannot be written; nothing partial may be left behind
     */
    default void export(CompactionResult compact, MaskPlan plan, Shape inputShape, double testAccuracy)
            throws IOException {
        export(compact, plan, inputShape);
    }
}
