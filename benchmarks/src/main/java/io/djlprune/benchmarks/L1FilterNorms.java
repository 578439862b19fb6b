package io.djlprune.benchmarks;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import io.djlprune.graph.ChannelGraph;
import io.djlprune.graph.ChannelGroup;
import io.djlprune.graph.LayerNode;
import io.djlprune.graph.Segment;

/**
 * The L1 filter-norm criterion (Li et al., "Pruning Filters for Efficient ConvNets"): a channel's score is the sum of
 * the absolute weights of the filters that produce it, summed over every producer of its group (a residual add ties
 * several convolutions to one channel, and removing the channel removes all their filters).
 *
 * <p>Each group's scores are divided by their mean. Raw L1 norms of different layers are not comparable (a filter's
 * norm grows with its fan-in, so a global ranking of random weights would empty the layers with the fewest inputs);
 * the per-group mean normalisation is Torch-Pruning's answer to that and keeps the ranking about importance within
 * each group.
 */
public final class L1FilterNorms {

    private L1FilterNorms() {}

    /**
     * Scores every channel of every prunable group.
     *
     * @param graph the graph of an initialised network
     * @return one array per group id, null for fixed groups, each with mean 1 (or all 0 when every filter is 0)
     * @throws IllegalStateException if a producer has no weight or its weight does not match its output layout
     */
    public static float[][] scores(ChannelGraph graph) {
        float[][] scores = new float[graph.groups().size()][];
        for (ChannelGroup group : graph.prunableGroups()) {
            scores[group.id()] = new float[group.size()];
        }
        for (ChannelGroup group : graph.prunableGroups()) {
            for (LayerNode producer : group.producers()) {
                addFilterNorms(producer, scores);
            }
        }
        for (ChannelGroup group : graph.prunableGroups()) {
            normaliseByMean(scores[group.id()]);
        }
        return scores;
    }

    /** Adds the producer's per-output-channel L1 norms to every prunable group its output segments belong to. */
    private static void addFilterNorms(LayerNode producer, float[][] scores) {
        Parameter weight = producer.block().getParameters().get("weight");
        if (weight == null || !weight.isInitialized()) {
            throw new IllegalStateException(
                    "Producer " + producer + " has no initialised 'weight' parameter to take filter norms from");
        }
        NDArray array = weight.getArray();
        Shape shape = array.getShape();
        float[] norms = filterNorms(array);
        long width = 0;
        for (Segment segment : producer.output().segments()) {
            width += segment.width();
        }
        if (width != shape.get(0)) {
            throw new IllegalStateException(
                    "Producer " + producer + " has " + shape.get(0) + " output channels in its weight " + shape
                            + " but its output layout covers " + width);
        }
        int offset = 0;
        for (Segment segment : producer.output().segments()) {
            float[] target = scores[segment.group()];
            // A producer's output runs are plain channels (multiplier 1); fixed groups are not scored.
            for (int c = 0; target != null && c < segment.count(); c++) {
                target[segment.start() + c] += norms[offset + c];
            }
            offset += (int) segment.width();
        }
    }

    /** Σ|w| over every axis but the first (output channels) of a weight. */
    private static float[] filterNorms(NDArray weight) {
        int[] axes = new int[weight.getShape().dimension() - 1];
        for (int i = 0; i < axes.length; i++) {
            axes[i] = i + 1;
        }
        // The temporaries live in a scope of their own so the caller's manager does not grow with each producer.
        try (var scope = weight.getManager().newSubManager()) {
            NDArray copy = weight.duplicate();
            copy.attach(scope);
            return copy.abs().sum(axes).toFloatArray();
        }
    }

    private static void normaliseByMean(float[] values) {
        double sum = 0;
        for (float v : values) {
            sum += v;
        }
        if (sum == 0) {
            return;
        }
        float mean = (float) (sum / values.length);
        for (int i = 0; i < values.length; i++) {
            values[i] /= mean;
        }
    }
}
