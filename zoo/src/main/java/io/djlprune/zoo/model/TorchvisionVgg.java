package io.djlprune.zoo.model;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Blocks;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.norm.Dropout;
import ai.djl.nn.pooling.Pool;
import io.djlprune.nn.AdaptiveAvgPool2d;

/**
 * torchvision's {@code vgg11_bn} and {@code vgg16_bn} (Simonyan and Zisserman 2015, with BatchNorm) as DJL blocks with
 * torchvision's structure and parameter names, so that their state_dicts load by name. {@code features} is torchvision's
 * list: each 3×3 convolution (with bias, padding 1) is followed by BatchNorm (ε = 1e-5) and ReLU, taking three indices
 * ({@code features.0} the convolution, {@code features.1} its BatchNorm), and each 2×2 stride-2 max-pool one. Then
 * adaptive average pooling to 7×7 ({@link AdaptiveAvgPool2d}, PyTorch's bins: the identity at 224×224, where the
 * features are already 7×7), flattening to 25,088 features, and the classifier Linear(4096)-ReLU-Dropout(0.5)-
 * Linear(4096)-ReLU-Dropout(0.5)-Linear(classes) ({@code classifier.0}, {@code classifier.3}, {@code classifier.6}).
 *
 * <p>The five max-pools halve the map five times without padding, so the input must be at least 32×32 (ending at
 * 1×1, which the adaptive pooling repeats to 7×7, as PyTorch does); on a smaller input the last max-pool is refused
 * by LibTorch ("Output size is too small"), as in PyTorch.
 */
public final class TorchvisionVgg {

    /** The smallest square input side the network takes. */
    public static final int MINIMUM_SIZE = 32;

    /** Filters per convolution; 0 marks a max-pool (torchvision's configuration "A"). */
    private static final int[] VGG11 = {64, 0, 128, 0, 256, 256, 0, 512, 512, 0, 512, 512, 0};

    /** torchvision's configuration "D". */
    private static final int[] VGG16 = {64, 64, 0, 128, 128, 0, 256, 256, 256, 0, 512, 512, 512, 0, 512, 512, 512, 0};

    private static final int POOLED = 7;
    private static final int HIDDEN = 4096;
    private static final float DROPOUT = 0.5f;

    private TorchvisionVgg() {}

    /**
     * Builds VGG-11-BN or VGG-16-BN and its name table.
     *
     * @param depth 11 or 16
     * @param classes the number of classes
     * @return the uninitialised block and the torchvision name of each of its parameters
     * @throws IllegalArgumentException for another depth
     */
    public static TorchvisionModel build(int depth, int classes) {
        int[] config =
                switch (depth) {
                    case 11 -> VGG11;
                    case 16 -> VGG16;
                    default -> throw new IllegalArgumentException(
                            "torchvision VGG-BN depth must be 11 or 16, got " + depth);
                };
        TorchvisionNames names = new TorchvisionNames();
        SequentialBlock net = new SequentialBlock();
        int index = 0;
        int inChannels = 3;
        for (int filters : config) {
            if (filters == 0) {
                net.add(Pool.maxPool2dBlock(new Shape(2, 2), new Shape(2, 2)));
                index++;
            } else {
                net.add(names.convWithBias("features." + index, inChannels, filters))
                        .add(names.batchNorm("features." + (index + 1), filters))
                        .add(Activation.reluBlock());
                index += 3;
                inChannels = filters;
            }
        }
        net.add(AdaptiveAvgPool2d.builder().setOutputSize(POOLED, POOLED).build())
                .add(Blocks.batchFlattenBlock())
                .add(names.linear("classifier.0", (long) inChannels * POOLED * POOLED, HIDDEN))
                .add(Activation.reluBlock())
                .add(Dropout.builder().optRate(DROPOUT).build())
                .add(names.linear("classifier.3", HIDDEN, HIDDEN))
                .add(Activation.reluBlock())
                .add(Dropout.builder().optRate(DROPOUT).build())
                .add(names.linear("classifier.6", HIDDEN, classes));
        return new TorchvisionModel(net, names.tensors());
    }
}
