package io.djlprune.compact;

import ai.djl.nn.Block;
import java.util.List;

/**
 * What {@link Compactor#compact} produced: the smaller plain network and a report of what changed.
 *
 * @param block the compact network, initialised for the graph's input shape, its parameters set from the original
 * @param layers every layer with parameters, in execution order (a reused layer once), with its sizes before and after
 * @param folds the leak corrections applied, empty when no removed channel carried a constant into a consumer
 */
public record CompactionResult(Block block, List<LayerChange> layers, List<LeakFold> folds) {

    /**
     * Creates a result, copying the lists.
     *
     * @param block the compact network
     * @param layers the per-layer changes
     * @param folds the leak corrections
     */
    public CompactionResult {
        layers = List.copyOf(layers);
        folds = List.copyOf(folds);
    }

    /**
     * Returns a readable multi-line report: one line per layer, then one per leak correction.
     *
     * @return the report
     */
    public String describe() {
        StringBuilder text = new StringBuilder("compacted ").append(layers.size()).append(" layers");
        for (LayerChange layer : layers) {
            text.append("\n  ").append(layer);
        }
        if (!folds.isEmpty()) {
            text.append("\nleak corrections:");
            for (LeakFold fold : folds) {
                text.append("\n  ").append(fold);
            }
        }
        return text.toString();
    }
}
