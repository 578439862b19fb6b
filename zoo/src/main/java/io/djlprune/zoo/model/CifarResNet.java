package io.djlprune.zoo.model;

import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.nn.pooling.Pool;

/**
 * The CIFAR-style ResNet of He et al. (2016), depth 6n+2 (ResNet-20, -56, -110): a 3×3 stem with 16 filters, three
 * stages of n basic blocks with 16, 32 and 64 filters (stride 2 entering stages 2 and 3), global average pooling and
 * a linear classifier. Shortcuts are identities where shapes match and 1×1 convolution + BatchNorm projections where
 * they change. Works on any input size (28×28 grey images give 7×7 maps in the last stage, 32×32 give 8×8).
 */
public final class CifarResNet {

    private CifarResNet() {}

    /**
     * Builds the network.
     *
     * @param depth 6n+2 for n ≥ 1: 20, 32, 44, 56, 110, …
     * @param classes the number of classes
     * @return an uninitialised block
     * @throws IllegalArgumentException if depth is not of the form 6n+2
     */
    public static Block build(int depth, int classes) {
        if (depth < 8 || (depth - 2) % 6 != 0) {
            throw new IllegalArgumentException("CIFAR ResNet depth must be 6n+2 (20, 56, 110, …), got " + depth);
        }
        int blocksPerStage = (depth - 2) / 6;
        SequentialBlock net = new SequentialBlock().add(Layers.conv(16, 3, 1)).add(Layers.batchNorm());
        net.add(Activation.reluBlock());
        int inFilters = 16;
        for (int filters : new int[] {16, 32, 64}) {
            for (int b = 0; b < blocksPerStage; b++) {
                int stride = (b == 0 && filters != 16) ? 2 : 1;
                net.add(basicBlock(filters, stride, stride != 1 || inFilters != filters));
                inFilters = filters;
            }
        }
        return net.add(Pool.globalAvgPool2dBlock())
                .add(Blocks.batchFlattenBlock())
                .add(Linear.builder().setUnits(classes).build());
    }

    /**
     * One residual unit: conv-BN-ReLU-conv-BN on the main path, added to the shortcut, then ReLU.
     *
     * @param filters the output channels
     * @param stride the stride of the first convolution (and of the projection)
     * @param project whether the shortcut is a 1×1 projection instead of the identity
     * @return the block
     */
    static Block basicBlock(int filters, int stride, boolean project) {
        SequentialBlock main =
                new SequentialBlock()
                        .add(Layers.conv(filters, 3, stride))
                        .add(Layers.batchNorm())
                        .add(Activation.reluBlock())
                        .add(Layers.conv(filters, 3, 1))
                        .add(Layers.batchNorm());
        Block shortcut =
                project ? new SequentialBlock().add(Layers.conv(filters, 1, stride)).add(Layers.batchNorm()) : null;
        return new SequentialBlock().add(Layers.residual(main, shortcut)).add(Activation.reluBlock());
    }
}
