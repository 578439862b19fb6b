package io.djlprune.hoyer;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import io.djlprune.graph.ChannelGraph;
import io.djlprune.graph.LayerNode;
import io.djlprune.testing.NamedOpClassifier;
import io.djlprune.testing.TestModels;

/** Graphs and small models shared by the DeepHoyer tests. */
final class Fixtures {

    private Fixtures() {}

    /** Initialises a block with the given data type and builds its channel graph. */
    static ChannelGraph graph(
            Block block, Shape input, NamedOpClassifier classifier, NDManager manager, DataType type) {
        Engine.getInstance().setRandomSeed(1234); // the same weights on every run
        block.initialize(manager, type, input);
        return ChannelGraph.builder().setInputShape(input).setClassifier(classifier).build(block);
    }

    /** Initialises a float32 block and builds its channel graph. */
    static ChannelGraph graph(Block block, Shape input, NDManager manager) {
        return graph(block, input, new NamedOpClassifier(), manager, DataType.FLOAT32);
    }

    /**
     * A small chain on 2×4×4 input: conv 3 → BN → ReLU → conv 4 → BN → ReLU → flatten (×16) → fc 5 → ReLU → fc 3.
     * Prunable groups: the two convs' channels and fc 5; the flatten widens each conv-2 channel into 16 features.
     */
    static Block smallChain() {
        return new SequentialBlock()
                .add(TestModels.conv(3, 3, 1, 1, false))
                .add(BatchNorm.builder().build())
                .add(Activation.reluBlock())
                .add(TestModels.conv(4, 3, 1, 1, true))
                .add(BatchNorm.builder().build())
                .add(Activation.reluBlock())
                .add(Blocks.batchFlattenBlock())
                .add(Linear.builder().setUnits(5).build())
                .add(Activation.reluBlock())
                .add(Linear.builder().setUnits(3).build());
    }

    /** The input shape of {@link #smallChain()}. */
    static final Shape SMALL_INPUT = new Shape(1, 2, 4, 4);

    /** Returns a layer's parameter array. */
    static NDArray param(LayerNode node, String name) {
        return node.block().getParameters().get(name).getArray();
    }

    /** Returns an array's values as doubles, whatever its floating-point type. */
    static double[] doubles(NDArray array) {
        if (array.getDataType() == DataType.FLOAT64) {
            return array.toDoubleArray();
        }
        try (NDArray wide = array.toType(DataType.FLOAT64, true)) {
            return wide.toDoubleArray();
        }
    }
}
