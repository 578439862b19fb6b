package io.djlprune.zoo.model;

import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.ParallelBlock;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.norm.BatchNorm;
import java.util.Arrays;
import java.util.List;

/** The few layer shapes the zoo's models share, so every model spells them the same way. */
final class Layers {

    private Layers() {}

    /**
     * A square convolution without bias (a BatchNorm always follows) and "same" padding for odd kernels.
     *
     * @param filters the output channels
     * @param kernel the kernel size
     * @param stride the stride
     * @return the convolution
     */
    static Conv2d conv(int filters, int kernel, int stride) {
        return Conv2d.builder()
                .setKernelShape(new Shape(kernel, kernel))
                .setFilters(filters)
                .optStride(new Shape(stride, stride))
                .optPadding(new Shape(kernel / 2, kernel / 2))
                .optBias(false)
                .build();
    }

    /**
     * A depthwise 3×3 convolution without bias: one filter per input channel.
     *
     * @param channels the input (and output) channels
     * @param stride the stride
     * @return the convolution
     */
    static Conv2d depthwise(int channels, int stride) {
        return Conv2d.builder()
                .setKernelShape(new Shape(3, 3))
                .setFilters(channels)
                .optGroups(channels)
                .optStride(new Shape(stride, stride))
                .optPadding(new Shape(1, 1))
                .optBias(false)
                .build();
    }

    /**
     * A BatchNorm over axis 1 with DJL's defaults.
     *
     * @return the block
     */
    static Block batchNorm() {
        return BatchNorm.builder().build();
    }

    /**
     * A residual add: the main path plus the shortcut (the identity when {@code shortcut} is null).
     *
     * @param main the main path
     * @param shortcut the projection, or null for the identity
     * @return the block summing both branches
     */
    static Block residual(Block main, Block shortcut) {
        Block other = shortcut == null ? Blocks.identityBlock() : shortcut;
        return new ParallelBlock(Layers::sum, Arrays.asList(main, other));
    }

    /**
     * A pre-activation residual unit (He et al. 2016, "Identity Mappings"): BN-ReLU, then the residual convolutions,
     * added to the shortcut. With a projection the BN-ReLU is shared by both branches (the projection reads the
     * activated input, as in the reference code); with the identity only the residual branch is activated, so the
     * shortcut carries the raw input.
     *
     * @param convolutions the residual branch after its first BN-ReLU (ends with a convolution, no BatchNorm)
     * @param projection a 1×1 convolution for the shortcut, or null for the identity
     * @return the unit
     */
    static Block preActivationUnit(SequentialBlock convolutions, Block projection) {
        if (projection == null) {
            SequentialBlock main = new SequentialBlock().add(batchNorm()).add(Activation.reluBlock());
            return residual(main.add(convolutions), null);
        }
        return new SequentialBlock()
                .add(batchNorm())
                .add(Activation.reluBlock())
                .add(residual(convolutions, projection));
    }

    private static NDList sum(List<NDList> branches) {
        return new NDList(NDArrays.add(branches.get(0).singletonOrThrow(), branches.get(1).singletonOrThrow()));
    }
}
