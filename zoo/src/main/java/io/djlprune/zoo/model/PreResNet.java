package io.djlprune.zoo.model;

import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.nn.pooling.Pool;

/**
 * The CIFAR pre-activation ResNet with bottleneck units (He et al. 2016, "Identity Mappings in Deep Residual
 * Networks"), depth 9n+2 (PreResNet-164: n = 18), the model Network Slimming and ChipNet prune. A 3×3 stem with 16
 * filters; three stages of n units with 16, 32 and 64 bottleneck channels expanded 4× (outputs 64, 128, 256; stride 2
 * entering stages 2 and 3); each unit is BN-ReLU-conv1×1, BN-ReLU-conv3×3, BN-ReLU-conv1×1 added to the shortcut (a 1×1
 * projection of the activated input in the first unit of a stage, the identity otherwise); a final BN-ReLU, global
 * average pooling and a linear classifier. Works on any input size.
 */
public final class PreResNet {

    private PreResNet() {}

    /**
     * Builds the network.
     *
     * @param depth 9n+2 for n ≥ 1: 164, 110 (n = 12), 56 (n = 6), …
     * @param classes the number of classes
     * @return an uninitialised block
     * @throws IllegalArgumentException if depth is not of the form 9n+2
     */
    public static Block build(int depth, int classes) {
        if (depth < 11 || (depth - 2) % 9 != 0) {
            throw new IllegalArgumentException("Bottleneck PreResNet depth must be 9n+2 (164, …), got " + depth);
        }
        int units = (depth - 2) / 9;
        SequentialBlock net = new SequentialBlock().add(Layers.conv(16, 3, 1));
        int inChannels = 16;
        for (int planes : new int[] {16, 32, 64}) {
            for (int u = 0; u < units; u++) {
                int stride = (u == 0 && planes != 16) ? 2 : 1;
                boolean project = stride != 1 || inChannels != planes * 4;
                net.add(bottleneck(planes, stride, project));
                inChannels = planes * 4;
            }
        }
        return net.add(Layers.batchNorm())
                .add(Activation.reluBlock())
                .add(Pool.globalAvgPool2dBlock())
                .add(Blocks.batchFlattenBlock())
                .add(Linear.builder().setUnits(classes).build());
    }

    private static Block bottleneck(int planes, int stride, boolean project) {
        SequentialBlock convolutions =
                new SequentialBlock()
                        .add(Layers.conv(planes, 1, 1))
                        .add(Layers.batchNorm())
                        .add(Activation.reluBlock())
                        .add(Layers.conv(planes, 3, stride))
                        .add(Layers.batchNorm())
                        .add(Activation.reluBlock())
                        .add(Layers.conv(planes * 4, 1, 1));
        return Layers.preActivationUnit(convolutions, project ? Layers.conv(planes * 4, 1, stride) : null);
    }
}
