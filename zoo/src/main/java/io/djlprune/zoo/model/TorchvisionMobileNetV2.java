package io.djlprune.zoo.model;

import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.norm.Dropout;
import ai.djl.nn.pooling.Pool;

/**
 * torchvision's {@code mobilenet_v2} (Sandler et al. 2018, width multiplier 1) as a DJL block with torchvision's
 * structure and parameter names, so that its state_dict loads by name: a 3×3 stride-2 stem of 32 filters
 * ({@code features.0}), seventeen inverted residuals ({@code features.1} to {@code features.17}) in the paper's stages
 * (t, c, n, s) = (1,16,1,1), (6,24,2,2), (6,32,3,2), (6,64,4,2), (6,96,3,1), (6,160,3,2), (6,320,1,1), a 1×1
 * convolution to 1280 ({@code features.18}), global average pooling, and a classifier of dropout (p = 0.2) and a
 * linear layer ({@code classifier.1}).
 *
 * <p>An inverted residual is a 1×1 expansion to t·c_in channels ({@code conv.0}, left out when t = 1), a depthwise
 * 3×3 ({@code conv.0} or {@code conv.1}), each followed by BatchNorm and ReLU6, then a linear 1×1 projection and
 * BatchNorm ({@code conv.2}/{@code conv.3}, or {@code conv.1}/{@code conv.2} when t = 1); the input is added where
 * the stride is 1 and the width unchanged. Convolutions have no bias; BatchNorm uses ε = 1e-5. Any input size works.
 */
public final class TorchvisionMobileNetV2 {

    /** Rows of (expansion t, output channels c, units n, stride of the first unit s), torchvision's setting. */
    private static final int[][] STAGES = {
        {1, 16, 1, 1}, {6, 24, 2, 2}, {6, 32, 3, 2}, {6, 64, 4, 2}, {6, 96, 3, 1}, {6, 160, 3, 2}, {6, 320, 1, 1}
    };

    private static final int STEM = 32;
    private static final int LAST = 1280;

    /** torchvision's classifier dropout rate. */
    private static final float DROPOUT = 0.2f;

    private TorchvisionMobileNetV2() {}

    /**
     * Builds the network and its name table.
     *
     * @param classes the number of classes
     * @return the uninitialised block and the torchvision name of each of its parameters
     */
    public static TorchvisionModel build(int classes) {
        TorchvisionNames names = new TorchvisionNames();
        SequentialBlock net = new SequentialBlock()
                .add(names.conv("features.0.0", 3, STEM, 3, 2))
                .add(names.batchNorm("features.0.1", STEM))
                .add(Activation.relu6Block());
        int inChannels = STEM;
        int index = 1;
        for (int[] stage : STAGES) {
            for (int u = 0; u < stage[2]; u++) {
                int stride = u == 0 ? stage[3] : 1;
                net.add(invertedResidual(names, "features." + index + ".conv.", inChannels, stage[1], stride,
                        stage[0]));
                inChannels = stage[1];
                index++;
            }
        }
        String last = "features." + index;
        net.add(names.conv(last + ".0", inChannels, LAST, 1, 1))
                .add(names.batchNorm(last + ".1", LAST))
                .add(Activation.relu6Block())
                .add(Pool.globalAvgPool2dBlock())
                .add(Blocks.batchFlattenBlock())
                .add(Dropout.builder().optRate(DROPOUT).build())
                .add(names.linear("classifier.1", LAST, classes));
        return new TorchvisionModel(net, names.tensors());
    }

    private static Block invertedResidual(
            TorchvisionNames names, String prefix, int in, int out, int stride, int expansion) {
        int hidden = in * expansion;
        SequentialBlock unit = new SequentialBlock();
        int layer = 0;
        if (expansion != 1) {
            unit.add(names.conv(prefix + layer + ".0", in, hidden, 1, 1))
                    .add(names.batchNorm(prefix + layer + ".1", hidden))
                    .add(Activation.relu6Block());
            layer++;
        }
        unit.add(names.depthwise(prefix + layer + ".0", hidden, stride))
                .add(names.batchNorm(prefix + layer + ".1", hidden))
                .add(Activation.relu6Block());
        layer++;
        unit.add(names.conv(prefix + layer, hidden, out, 1, 1)).add(names.batchNorm(prefix + (layer + 1), out));
        return stride == 1 && in == out ? Layers.residual(unit, null) : unit;
    }
}
