package io.djlprune.criteria;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.djlprune.graph.ChannelGraph;
import io.djlprune.graph.LayerNode;
import io.djlprune.testing.NamedOpClassifier;
import io.djlprune.testing.TestModels;

/** The test networks of the criteria tests, initialised in float32, with direct per-channel sums in doubles. */
final class Graphs {

    private Graphs() {}

    /** LeNet-5 (no BatchNorm): prunable groups conv1 20, conv2 50 (read by fc1 through a 4×4 flatten), fc1 500. */
    static ChannelGraph lenet5(NDManager manager) {
        return build(TestModels.lenet5(), new Shape(1, 1, 28, 28), new NamedOpClassifier(), manager);
    }

    /** The two-stage residual network: prunable groups 8 (tied stem + unit 1), 8, 16, 16 (tied conv + projection). */
    static ChannelGraph residual(NDManager manager) {
        NamedOpClassifier classifier = new NamedOpClassifier();
        return build(TestModels.residual(classifier), new Shape(1, 3, 16, 16), classifier, manager);
    }

    private static ChannelGraph build(
            ai.djl.nn.Block block, Shape input, NamedOpClassifier classifier, NDManager manager) {
        Engine.getInstance().setRandomSeed(1234); // the same weights on every run
        block.initialize(manager, DataType.FLOAT32, input);
        return ChannelGraph.builder().setInputShape(input).setClassifier(classifier).build(block);
    }

    /** Returns a layer's parameter array. */
    static NDArray param(LayerNode node, String name) {
        return node.block().getParameters().get(name).getArray();
    }

    /** Σ f(w) over each row (axis 0) of a layer's weight, f = |w| or w². */
    static double[] rowSums(LayerNode node, int rows, boolean squared) {
        float[] values = param(node, "weight").toFloatArray();
        int perRow = values.length / rows;
        double[] sums = new double[rows];
        for (int i = 0; i < values.length; i++) {
            sums[i / perRow] += squared ? (double) values[i] * values[i] : Math.abs(values[i]);
        }
        return sums;
    }

    /** Σw² per channel of a consumer's weight: channel c owns inputs [c·multiplier, (c+1)·multiplier), each {@code inner} entries. */
    static double[] columnSquares(LayerNode node, int channels, int multiplier, int inner) {
        float[] values = param(node, "weight").toFloatArray();
        int inputs = channels * multiplier;
        double[] sums = new double[channels];
        for (int i = 0; i < values.length; i++) {
            int input = (i / inner) % inputs;
            sums[input / multiplier] += (double) values[i] * values[i];
        }
        return sums;
    }
}
