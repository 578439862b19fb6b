package io.djlprune.zoo.model;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.pooling.Pool;

/**
 * torchvision's ImageNet ResNets (He et al. 2016) as DJL blocks with torchvision's semantics, so that weights trained
 * with PyTorch load into them by torchvision's parameter names: a 7×7 stride-2 stem convolution with 64 filters,
 * BatchNorm, ReLU, a 3×3 stride-2 max-pool (padding 1), four stages of 64, 128, 256 and 512 planes (stride 2 entering
 * stages 2 to 4), global average pooling, flattening and a linear classifier.
 *
 * <p>ResNet-18 and -34 use basic units (two 3×3 convolutions); ResNet-50 uses bottleneck units (1×1, 3×3, 1×1 with
 * four times the planes at the output) with the stride on the 3×3 convolution, as torchvision does since 0.13
 * ("ResNet v1.5"). A unit's shortcut is a 1×1 convolution + BatchNorm ({@code downsample}) where the stride or the
 * channel count changes, else the identity. Every BatchNorm uses ε = 1e-5 as torchvision does.
 *
 * <p>{@link #build(int, int)} returns the block together with the torchvision name and the shape of every tensor it
 * holds ({@code conv1.weight}, {@code bn1.running_mean}, {@code layer2.0.downsample.0.weight}, {@code fc.bias}, …);
 * BatchNorm's {@code num_batches_tracked} counter has no DJL counterpart and is not listed.
 */
public final class TorchvisionResNet {

    private static final int[] PLANES = {64, 128, 256, 512};

    private TorchvisionResNet() {}

    /**
     * Builds the network and its name table.
     *
     * @param depth 18, 34 or 50
     * @param classes the number of classes
     * @return the uninitialised block and the torchvision name of each of its parameters
     * @throws IllegalArgumentException if the depth is not 18, 34 or 50
     */
    public static TorchvisionModel build(int depth, int classes) {
        int[] units;
        boolean bottleneck;
        switch (depth) {
            case 18 -> {
                units = new int[] {2, 2, 2, 2};
                bottleneck = false;
            }
            case 34 -> {
                units = new int[] {3, 4, 6, 3};
                bottleneck = false;
            }
            case 50 -> {
                units = new int[] {3, 4, 6, 3};
                bottleneck = true;
            }
            default -> throw new IllegalArgumentException(
                    "torchvision ResNet depth must be 18, 34 or 50, got " + depth);
        }
        TorchvisionNames names = new TorchvisionNames();
        SequentialBlock net = new SequentialBlock();
        net.add(names.conv("conv1", 3, 64, 7, 2)).add(names.batchNorm("bn1", 64)).add(Activation.reluBlock());
        net.add(Pool.maxPool2dBlock(new Shape(3, 3), new Shape(2, 2), new Shape(1, 1)));
        int expansion = bottleneck ? 4 : 1;
        int inChannels = 64;
        for (int stage = 0; stage < PLANES.length; stage++) {
            int planes = PLANES[stage];
            for (int u = 0; u < units[stage]; u++) {
                int stride = (u == 0 && stage > 0) ? 2 : 1;
                String prefix = "layer" + (stage + 1) + "." + u + ".";
                net.add(bottleneck
                        ? bottleneck(names, prefix, inChannels, planes, stride)
                        : basicBlock(names, prefix, inChannels, planes, stride));
                inChannels = planes * expansion;
            }
        }
        net.add(Pool.globalAvgPool2dBlock()).add(Blocks.batchFlattenBlock());
        net.add(names.linear("fc", inChannels, classes));
        return new TorchvisionModel(net, names.tensors());
    }

    private static Block downsample(TorchvisionNames names, String prefix, int in, int out, int stride) {
        if (stride == 1 && in == out) {
            return null;
        }
        return new SequentialBlock()
                .add(names.conv(prefix + "downsample.0", in, out, 1, stride))
                .add(names.batchNorm(prefix + "downsample.1", out));
    }

    private static Block basicBlock(TorchvisionNames names, String prefix, int in, int planes, int stride) {
        SequentialBlock main =
                new SequentialBlock()
                        .add(names.conv(prefix + "conv1", in, planes, 3, stride))
                        .add(names.batchNorm(prefix + "bn1", planes))
                        .add(Activation.reluBlock())
                        .add(names.conv(prefix + "conv2", planes, planes, 3, 1))
                        .add(names.batchNorm(prefix + "bn2", planes));
        Block shortcut = downsample(names, prefix, in, planes, stride);
        return new SequentialBlock().add(Layers.residual(main, shortcut)).add(Activation.reluBlock());
    }

    private static Block bottleneck(TorchvisionNames names, String prefix, int in, int planes, int stride) {
        int out = planes * 4;
        SequentialBlock main =
                new SequentialBlock()
                        .add(names.conv(prefix + "conv1", in, planes, 1, 1))
                        .add(names.batchNorm(prefix + "bn1", planes))
                        .add(Activation.reluBlock())
                        .add(names.conv(prefix + "conv2", planes, planes, 3, stride))
                        .add(names.batchNorm(prefix + "bn2", planes))
                        .add(Activation.reluBlock())
                        .add(names.conv(prefix + "conv3", planes, out, 1, 1))
                        .add(names.batchNorm(prefix + "bn3", out));
        Block shortcut = downsample(names, prefix, in, out, stride);
        return new SequentialBlock().add(Layers.residual(main, shortcut)).add(Activation.reluBlock());
    }
}
