package io.djlprune.tests;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;

/**
 * Makes a freshly initialised network's outputs worth comparing. Initialised as they are, deep networks return logits
 * of 1e-13 or exactly the zero bias for every input (VGG-16, MobileNetV2), and an exported file that computed anything
 * of that size would match them; moving every bias and BatchNorm statistic away from its initial value (0 or 1) gives
 * outputs that depend on the input.
 */
final class InformativeWeights {

    private InformativeWeights() {}

    /**
     * Perturbs every bias, BatchNorm γ and β, and running statistic in place.
     *
     * @param block an initialised block
     * @param manager the manager of the random draws (seed it for a repeatable network)
     */
    static void perturb(Block block, NDManager manager) {
        for (Pair<String, Parameter> entry : block.getParameters()) {
            NDArray array = entry.getValue().getArray();
            Shape shape = array.getShape();
            switch (entry.getValue().getName()) {
                case "runningVar" -> array.muli(manager.randomUniform(0.5f, 2f, shape));
                case "runningMean" -> array.addi(manager.randomNormal(0f, 0.3f, shape, DataType.FLOAT32));
                case "gamma" -> array.muli(manager.randomUniform(0.5f, 1.5f, shape));
                case "beta", "bias" -> array.addi(manager.randomNormal(0f, 0.2f, shape, DataType.FLOAT32));
                default -> { }
            }
        }
    }
}
