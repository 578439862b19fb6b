package io.djlprune.zoo.model;

import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.nn.pooling.Pool;

/**
 * Wide residual networks (Zagoruyko and Komodakis 2016) in their pre-activation form: a 3×3 stem with 16 filters;
 * three stages of n units with 16k, 32k and 64k filters (stride 2 entering stages 2 and 3), each unit BN-ReLU-conv3×3,
 * BN-ReLU-conv3×3 added to the shortcut (a 1×1 projection of the activated input where the width or stride changes,
 * the identity otherwise); a final BN-ReLU, global average pooling and a linear classifier. No dropout.
 *
 * <p>Two depth conventions are in use and the catalog names follow their sources: Zagoruyko and Komodakis count the
 * three projection convolutions (depth 6n+4, so WRN-16-4 has n = 2), ChipNet counts like He et al. (depth 6n+2, so its
 * WRN-26-12 has n = 4, which the other convention calls WRN-28-12). {@link #build} takes n directly.
 */
public final class WideResNet {

    private WideResNet() {}

    /**
     * Builds the network.
     *
     * @param unitsPerStage n, the residual units in each of the three stages
     * @param widen k, the width multiplier
     * @param classes the number of classes
     * @return an uninitialised block
     * @throws IllegalArgumentException if n or k is below 1
     */
    public static Block build(int unitsPerStage, int widen, int classes) {
        if (unitsPerStage < 1 || widen < 1) {
            throw new IllegalArgumentException(
                    "A wide ResNet needs at least one unit per stage and a width of 1, got n=" + unitsPerStage
                            + ", k=" + widen);
        }
        SequentialBlock net = new SequentialBlock().add(Layers.conv(16, 3, 1));
        int inChannels = 16;
        for (int base : new int[] {16, 32, 64}) {
            int filters = base * widen;
            for (int u = 0; u < unitsPerStage; u++) {
                int stride = (u == 0 && base != 16) ? 2 : 1;
                boolean project = stride != 1 || inChannels != filters;
                SequentialBlock convolutions =
                        new SequentialBlock()
                                .add(Layers.conv(filters, 3, stride))
                                .add(Layers.batchNorm())
                                .add(Activation.reluBlock())
                                .add(Layers.conv(filters, 3, 1));
                net.add(Layers.preActivationUnit(convolutions, project ? Layers.conv(filters, 1, stride) : null));
                inChannels = filters;
            }
        }
        return net.add(Layers.batchNorm())
                .add(Activation.reluBlock())
                .add(Pool.globalAvgPool2dBlock())
                .add(Blocks.batchFlattenBlock())
                .add(Linear.builder().setUnits(classes).build());
    }
}
