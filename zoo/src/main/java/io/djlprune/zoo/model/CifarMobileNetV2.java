package io.djlprune.zoo.model;

import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.nn.pooling.Pool;

/**
 * MobileNetV2 (Sandler et al. 2018) with CIFAR strides: a 3×3 stem of 32 filters at stride 1 and the paper's
 * inverted-residual stages (t, c, n, s) = (1,16,1,1), (6,24,2,1), (6,32,3,2), (6,64,4,2), (6,96,3,1), (6,160,3,2),
 * (6,320,1,1) — the second stage at stride 1 instead of 2, as small-image ports do — then a 1×1 convolution to 1280,
 * global average pooling and a linear classifier. Each unit is a 1×1 expansion to t·c_in channels (left out when
 * t = 1), a depthwise 3×3 and a linear 1×1 projection, each with BatchNorm and ReLU6 after the first two; an identity
 * shortcut is added when stride and width are unchanged (the paper's rule; no projection shortcuts). Works on any
 * input size (32×32 maps end at 4×4, 28×28 at 4×4 too).
 */
public final class CifarMobileNetV2 {

    /** Rows of (expansion t, output channels c, units n, stride of the first unit s). */
    private static final int[][] STAGES = {
        {1, 16, 1, 1}, {6, 24, 2, 1}, {6, 32, 3, 2}, {6, 64, 4, 2}, {6, 96, 3, 1}, {6, 160, 3, 2}, {6, 320, 1, 1}
    };

    private CifarMobileNetV2() {}

    /**
     * Builds the network at width multiplier 1.
     *
     * @param classes the number of classes
     * @return an uninitialised block
     */
    public static Block build(int classes) {
        SequentialBlock net =
                new SequentialBlock()
                        .add(Layers.conv(32, 3, 1))
                        .add(Layers.batchNorm())
                        .add(Activation.relu6Block());
        int inChannels = 32;
        for (int[] stage : STAGES) {
            for (int u = 0; u < stage[2]; u++) {
                int stride = u == 0 ? stage[3] : 1;
                net.add(invertedResidual(inChannels, stage[1], stride, stage[0]));
                inChannels = stage[1];
            }
        }
        return net.add(Layers.conv(1280, 1, 1))
                .add(Layers.batchNorm())
                .add(Activation.relu6Block())
                .add(Pool.globalAvgPool2dBlock())
                .add(Blocks.batchFlattenBlock())
                .add(Linear.builder().setUnits(classes).build());
    }

    private static Block invertedResidual(int inChannels, int outChannels, int stride, int expansion) {
        int hidden = inChannels * expansion;
        SequentialBlock unit = new SequentialBlock();
        if (expansion != 1) {
            unit.add(Layers.conv(hidden, 1, 1)).add(Layers.batchNorm()).add(Activation.relu6Block());
        }
        unit.add(Layers.depthwise(hidden, stride))
                .add(Layers.batchNorm())
                .add(Activation.relu6Block())
                .add(Layers.conv(outChannels, 1, 1))
                .add(Layers.batchNorm());
        return stride == 1 && inChannels == outChannels ? Layers.residual(unit, null) : unit;
    }
}
