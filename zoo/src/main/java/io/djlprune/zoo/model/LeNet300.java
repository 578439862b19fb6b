package io.djlprune.zoo.model;

import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;

/**
 * LeNet-300-100 (LeCun et al. 1998), the fully connected baseline of the pruning literature: the flattened image, a
 * hidden layer of 300 units, one of 100, and the class scores, with ReLU activations. On 1×28×28 inputs with 10
 * classes it has 266,610 parameters (953,010 on 3×32×32).
 */
public final class LeNet300 {

    private LeNet300() {}

    /**
     * Builds the network with the reference widths.
     *
     * @param classes the number of classes
     * @return an uninitialised block; the input width is inferred at initialisation
     */
    public static Block build(int classes) {
        return build(classes, 300, 100);
    }

    /**
     * Builds the network with chosen widths.
     *
     * @param classes the number of classes
     * @param hidden1 units of the first hidden layer
     * @param hidden2 units of the second hidden layer
     * @return an uninitialised block
     */
    public static Block build(int classes, int hidden1, int hidden2) {
        return new SequentialBlock()
                .add(Blocks.batchFlattenBlock())
                .add(Linear.builder().setUnits(hidden1).build())
                .add(Activation.reluBlock())
                .add(Linear.builder().setUnits(hidden2).build())
                .add(Activation.reluBlock())
                .add(Linear.builder().setUnits(classes).build());
    }
}
