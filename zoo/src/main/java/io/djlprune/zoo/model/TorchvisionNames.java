package io.djlprune.zoo.model;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Makes the layers of a torchvision-structured network and records, while making each, the torchvision name and
 * expected shape of every tensor it holds, so that the name mapping does not depend on DJL's generated block names.
 * Convolutions use "same" padding for odd kernels (torchvision's {@code (k − 1) / 2}); BatchNorms use ε = 1e-5 as
 * torchvision's {@code BatchNorm2d} does.
 */
final class TorchvisionNames {

    private final Map<String, TorchvisionModel.Tensor> tensors = new LinkedHashMap<>();

    /**
     * Returns the recorded tensors in the order they were made (torchvision's {@code state_dict()} order).
     *
     * @return torchvision name → parameter and shape
     */
    Map<String, TorchvisionModel.Tensor> tensors() {
        return Collections.unmodifiableMap(tensors);
    }

    /**
     * Records one parameter of a block under a torchvision name.
     *
     * @param name the torchvision name
     * @param block the block holding the parameter
     * @param djlName the DJL parameter name
     * @param shape the shape torchvision's tensor has
     */
    void put(String name, Block block, String djlName, Shape shape) {
        Parameter parameter = block.getParameters().get(djlName);
        if (parameter == null) {
            throw new IllegalStateException(
                    block.getClass().getSimpleName() + " has no parameter '" + djlName + "' for " + name);
        }
        if (tensors.put(name, new TorchvisionModel.Tensor(parameter, shape)) != null) {
            throw new IllegalStateException("torchvision name " + name + " was recorded twice");
        }
    }

    /**
     * A square convolution without bias.
     *
     * @param name its torchvision name
     * @param in the input channels
     * @param out the output channels
     * @param kernel the kernel size
     * @param stride the stride
     * @return the convolution
     */
    Block conv(String name, int in, int out, int kernel, int stride) {
        Block conv = Layers.conv(out, kernel, stride);
        put(name + ".weight", conv, "weight", new Shape(out, in, kernel, kernel));
        return conv;
    }

    /**
     * A 3×3 convolution with bias and padding 1, stride 1 (VGG's).
     *
     * @param name its torchvision name
     * @param in the input channels
     * @param out the output channels
     * @return the convolution
     */
    Block convWithBias(String name, int in, int out) {
        Block conv = Conv2d.builder()
                .setKernelShape(new Shape(3, 3))
                .setFilters(out)
                .optPadding(new Shape(1, 1))
                .optBias(true)
                .build();
        put(name + ".weight", conv, "weight", new Shape(out, in, 3, 3));
        put(name + ".bias", conv, "bias", new Shape(out));
        return conv;
    }

    /**
     * A depthwise 3×3 convolution without bias.
     *
     * @param name its torchvision name
     * @param channels the input and output channels
     * @param stride the stride
     * @return the convolution
     */
    Block depthwise(String name, int channels, int stride) {
        Block conv = Layers.depthwise(channels, stride);
        put(name + ".weight", conv, "weight", new Shape(channels, 1, 3, 3));
        return conv;
    }

    /**
     * A BatchNorm: torchvision's {@code weight}, {@code bias}, {@code running_mean} and {@code running_var} are DJL's
     * gamma, beta, runningMean and runningVar.
     *
     * @param name its torchvision name
     * @param channels the channels
     * @return the BatchNorm
     */
    Block batchNorm(String name, int channels) {
        Block bn = Layers.batchNorm();
        Shape shape = new Shape(channels);
        put(name + ".weight", bn, "gamma", shape);
        put(name + ".bias", bn, "beta", shape);
        put(name + ".running_mean", bn, "runningMean", shape);
        put(name + ".running_var", bn, "runningVar", shape);
        return bn;
    }

    /**
     * A fully connected layer with bias on {@code (N, in)} input.
     *
     * @param name its torchvision name
     * @param in the input features
     * @param out the output features
     * @return the layer
     */
    Block linear(String name, long in, int out) {
        Linear linear = Linear.builder().setUnits(out).build();
        put(name + ".weight", linear, "weight", new Shape(out, in));
        put(name + ".bias", linear, "bias", new Shape(out));
        return linear;
    }
}
