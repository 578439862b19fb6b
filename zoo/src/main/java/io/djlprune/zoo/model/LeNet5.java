package io.djlprune.zoo.model;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.pooling.Pool;

/**
 * LeNet-5 as the pruning literature uses it (Caffe's variant, "20-50-800-500"): conv 20@5×5, max-pool, conv 50@5×5,
 * max-pool, fully connected 500, fully connected to the classes, ReLU activations. On 1×28×28 inputs with 10 classes
 * it has 431,080 parameters.
 */
public final class LeNet5 {

    private LeNet5() {}

    /**
     * Builds the network with the reference widths.
     *
     * @param classes the number of classes
     * @return an uninitialised block; the input channel count is inferred at initialisation
     */
    public static Block build(int classes) {
        return build(classes, 20, 50, 500);
    }

    /**
     * Builds the network with chosen widths.
     *
     * @param classes the number of classes
     * @param conv1 filters of the first convolution
     * @param conv2 filters of the second convolution
     * @param hidden units of the hidden fully connected layer
     * @return an uninitialised block
     */
    public static Block build(int classes, int conv1, int conv2, int hidden) {
        return new SequentialBlock()
                .add(Conv2d.builder().setKernelShape(new Shape(5, 5)).setFilters(conv1).build())
                .add(Activation.reluBlock())
                .add(Pool.maxPool2dBlock(new Shape(2, 2), new Shape(2, 2)))
                .add(Conv2d.builder().setKernelShape(new Shape(5, 5)).setFilters(conv2).build())
                .add(Activation.reluBlock())
                .add(Pool.maxPool2dBlock(new Shape(2, 2), new Shape(2, 2)))
                .add(Blocks.batchFlattenBlock())
                .add(Linear.builder().setUnits(hidden).build())
                .add(Activation.reluBlock())
                .add(Linear.builder().setUnits(classes).build());
    }
}
