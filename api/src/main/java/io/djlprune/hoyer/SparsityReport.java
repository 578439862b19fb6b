package io.djlprune.hoyer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import io.djlprune.graph.ChannelGraph;
import java.util.ArrayList;
import java.util.List;

/**
 * How many weights of each convolution and linear layer are non-zero: the figure element-wise DeepHoyer is judged
 * by (e.g. 24,026 non-zeros of LeNet-5's 430,500 weights).
 *
 * @param layers one count per weight tensor, in execution order
 */
public record SparsityReport(List<LayerCount> layers) {

    /**
     * Creates a report, copying the list.
     *
     * @param layers the counts
     */
    public SparsityReport {
        layers = List.copyOf(layers);
    }

    /**
     * Counts the non-zero weights of every convolution and linear layer of a graph now.
     *
     * @param graph the graph of an initialised network
     * @return the report
     */
    public static SparsityReport of(ChannelGraph graph) {
        List<LayerCount> counts = new ArrayList<>();
        for (LayerWeight weight : LayerWeight.of(graph)) {
            counts.add(count(weight.name(), weight.parameter().getArray()));
        }
        return new SparsityReport(counts);
    }

    /**
     * Counts the non-zero entries of one tensor.
     *
     * @param name the tensor's name in the report
     * @param weight the tensor
     * @return the count
     */
    static LayerCount count(String name, NDArray weight) {
        try (NDArray nonzero = weight.neq(0); NDArray asLong = nonzero.toType(DataType.INT64, false);
                NDArray sum = asLong.sum()) {
            return new LayerCount(name, weight.size(), sum.getLong());
        }
    }

    /**
     * Returns the number of weights of all layers.
     *
     * @return Σ weights
     */
    public long totalWeights() {
        return layers.stream().mapToLong(LayerCount::weights).sum();
    }

    /**
     * Returns the number of non-zero weights of all layers.
     *
     * @return Σ non-zero
     */
    public long totalNonzero() {
        return layers.stream().mapToLong(LayerCount::nonzero).sum();
    }

    @Override
    public String toString() {
        StringBuilder text = new StringBuilder();
        for (LayerCount layer : layers) {
            text.append(String.format("%-40s %10d / %10d%n", layer.name(), layer.nonzero(), layer.weights()));
        }
        return text.append(String.format("%-40s %10d / %10d", "total", totalNonzero(), totalWeights())).toString();
    }

    /**
     * The non-zero count of one weight tensor.
     *
     * @param name the layer path and parameter, e.g. {@code "01Conv2d/weight"}
     * @param weights its number of entries
     * @param nonzero how many are not zero
     */
    public record LayerCount(String name, long weights, long nonzero) {}
}
