package io.djlprune.zoo.model;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import java.util.Map;

/**
 * A network built with torchvision's structure, and the torchvision name of each tensor it holds, in torchvision's
 * {@code state_dict()} order. The block is uninitialised; the shapes are what torchvision's tensors must have.
 *
 * @param block the uninitialised block
 * @param tensors torchvision name → the DJL parameter that holds that tensor and its expected shape
 */
public record TorchvisionModel(Block block, Map<String, Tensor> tensors) {

    /**
     * One tensor of the network.
     *
     * @param parameter the DJL parameter holding it
     * @param shape the shape it must have
     */
    public record Tensor(Parameter parameter, Shape shape) {}
}
