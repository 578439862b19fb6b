package io.djlprune.zoo.model;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.nn.pooling.Pool;

/**
 * VGG with BatchNorm in the CIFAR form the pruning literature uses (Network Slimming, Liu et al. 2017; ChipNet):
 * stacks of 3×3 conv-BN-ReLU separated by 2×2 max-pools, global average pooling instead of the last max-pool, and a
 * single linear classifier on the 512 features. The global pooling makes the same network fit 28×28 inputs (the last
 * stack then runs on 1×1 maps) and 32×32 inputs (2×2 maps, as in the reference).
 */
public final class Vgg {

    /** Filters per convolution; 0 marks a max-pool. */
    private static final int[] VGG11 = {64, 0, 128, 0, 256, 256, 0, 512, 512, 0, 512, 512};

    private static final int[] VGG16 = {64, 64, 0, 128, 128, 0, 256, 256, 256, 0, 512, 512, 512, 0, 512, 512, 512};

    private Vgg() {}

    /**
     * Builds VGG-11 or VGG-16 with BatchNorm.
     *
     * @param depth 11 or 16, naming the original configuration (8 or 13 convolutions; the CIFAR form has one linear
     *     layer where the ImageNet original has three)
     * @param classes the number of classes
     * @return an uninitialised block
     * @throws IllegalArgumentException for another depth
     */
    public static Block build(int depth, int classes) {
        int[] config =
                switch (depth) {
                    case 11 -> VGG11;
                    case 16 -> VGG16;
                    default -> throw new IllegalArgumentException("VGG depth must be 11 or 16, got " + depth);
                };
        SequentialBlock net = new SequentialBlock();
        for (int filters : config) {
            if (filters == 0) {
                net.add(Pool.maxPool2dBlock(new Shape(2, 2), new Shape(2, 2)));
            } else {
                net.add(Layers.conv(filters, 3, 1)).add(Layers.batchNorm()).add(Activation.reluBlock());
            }
        }
        return net.add(Pool.globalAvgPool2dBlock())
                .add(Blocks.batchFlattenBlock())
                .add(Linear.builder().setUnits(classes).build());
    }
}
