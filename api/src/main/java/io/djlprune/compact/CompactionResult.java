package io.djlprune.compact;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import io.djlprune.cost.CostModel;
import io.djlprune.graph.ChannelGraph;
import io.djlprune.ops.OpClassifier;
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

    /**
     * Returns the cost model of the compact network itself, whose full costs are its parameter count and FLOPs as
     * exported (what a report states, rather than the ratios the mask predicted).
     *
     * @param inputShape the input shape, batch included
     * @param classifier the op rules the graph is read with (those the network was pruned with)
     * @return the cost model of the compact network
     */
    public CostModel cost(Shape inputShape, OpClassifier classifier) {
        return new CostModel(ChannelGraph.builder().setInputShape(inputShape).setClassifier(classifier).build(block));
    }
}
