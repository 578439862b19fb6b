package io.djlprune.ops;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.norm.Dropout;
import io.djlprune.nn.AdaptiveAvgPool2d;
import java.util.Arrays;

/**
 * The built-in rules for DJL's concrete layer classes: they read the configuration from getters where DJL has them
 * and from private fields where it does not, and take channel counts from the input shape. Each rule is registered
 * for its exact class only (see {@link DjlOpClassifier}), because a subclass may compute something else.
 */
final class LayerRules {

    private LayerRules() {}

    /**
     * Describes a {@link Conv2d} on NCHW input.
     *
     * @param block the convolution
     * @param input its input shape
     * @param path its path
     * @return the {@link Conv2dOp}
     */
    static Op conv2d(Block block, Shape input, String path) {
        Conv2d conv = (Conv2d) block;
        if (input.dimension() != 4) {
            throw refuse(block, path, "Conv2d needs NCHW input, got " + input);
        }
        int inChannels = Math.toIntExact(input.get(1));
        int groups = conv.getGroups();
        int filters = conv.getFilters();
        if (groups < 1 || inChannels % groups != 0 || filters % groups != 0) {
            throw refuse(
                    block,
                    path,
                    "Conv2d with " + groups + " groups cannot take " + inChannels + " input channels to " + filters);
        }
        int[] kernel = pair(block, path, "kernel", conv.getKernelShape());
        Conv2dOp op =
                new Conv2dOp(
                        inChannels,
                        filters,
                        kernel,
                        pair(block, path, "stride", conv.getStride()),
                        pair(block, path, "padding", conv.getPadding()),
                        pair(block, path, "dilation", conv.getDilation()),
                        groups,
                        conv.isIncludeBias());
        checkWeight(block, path, new Shape(filters, inChannels / groups, kernel[0], kernel[1]));
        return op;
    }

    /**
     * Describes a {@link BatchNorm} over axis 1. DJL has no getters for its configuration, so ε, momentum, axis,
     * center and scale are read from its private fields.
     *
     * @param block the batch norm
     * @param input its input shape
     * @param path its path
     * @return the {@link BatchNormOp}
     */
    static Op batchNorm(Block block, Shape input, String path) {
        int axis = PrivateFields.read(block, BatchNorm.class, "axis", int.class, path);
        if (axis != 1) {
            throw refuse(
                    block, path, "BatchNorm normalises axis " + axis + "; djl-prune prunes channels on axis 1 only");
        }
        if (input.dimension() < 2) {
            throw refuse(block, path, "BatchNorm needs a channel axis, got input " + input);
        }
        int channels = Math.toIntExact(input.get(1));
        long declared = PrivateFields.read(block, BatchNorm.class, "inChannels", long.class, path);
        if (declared != 0 && declared != channels) {
            throw refuse(
                    block, path, "BatchNorm was initialised for " + declared + " channels but gets input " + input);
        }
        return new BatchNormOp(
                channels,
                PrivateFields.read(block, BatchNorm.class, "epsilon", float.class, path),
                PrivateFields.read(block, BatchNorm.class, "momentum", float.class, path),
                PrivateFields.read(block, BatchNorm.class, "center", boolean.class, path),
                PrivateFields.read(block, BatchNorm.class, "scale", boolean.class, path));
    }

    /**
     * Describes a {@link Linear} on {@code (N, features)} input. DJL's Linear acts on the last axis of any input; on a
     * higher-rank input its "channels" would not be axis 1, so that case is refused.
     *
     * @param block the linear layer
     * @param input its input shape
     * @param path its path
     * @return the {@link LinearOp}
     */
    static Op linear(Block block, Shape input, String path) {
        if (input.dimension() != 2) {
            throw refuse(
                    block,
                    path,
                    "Linear acts on the last axis of " + input + "; djl-prune describes Linear on (N, features)"
                            + " input only (flatten first)");
        }
        long inFeatures = input.get(1);
        long outFeatures = block.getOutputShapes(new Shape[] {input})[0].get(1);
        boolean bias = block.getParameters().contains("bias");
        checkWeight(block, path, new Shape(outFeatures, inFeatures));
        return new LinearOp(inFeatures, outFeatures, bias);
    }

    /**
     * Describes a {@link Dropout}; its rate has no getter and is read from the private field.
     *
     * @param block the dropout
     * @param input its input shape (unused: dropout keeps any shape)
     * @param path its path
     * @return the {@link DropoutOp}
     */
    static Op dropout(Block block, Shape input, String path) {
        return new DropoutOp(PrivateFields.read(block, Dropout.class, "rate", float.class, path));
    }

    /**
     * Describes djl-prune's {@link AdaptiveAvgPool2d} on NCHW input.
     *
     * @param block the pooling
     * @param input its input shape
     * @param path its path
     * @return the {@link AdaptiveAvgPool2dOp}
     */
    static Op adaptiveAvgPool2d(Block block, Shape input, String path) {
        if (input.dimension() != 4 || input.get(2) < 1 || input.get(3) < 1) {
            throw refuse(block, path, "AdaptiveAvgPool2d needs NCHW input with a non-empty map, got " + input);
        }
        AdaptiveAvgPool2d pool = (AdaptiveAvgPool2d) block;
        return new AdaptiveAvgPool2dOp(pool.getHeight(), pool.getWidth());
    }

    /** Converts a 2-D configuration shape to {height, width}. */
    private static int[] pair(Block block, String path, String what, Shape shape) {
        if (shape == null || shape.dimension() != 2) {
            throw refuse(block, path, "Conv2d " + what + " is " + shape + ", not a (height, width) pair");
        }
        return new int[] {Math.toIntExact(shape.get(0)), Math.toIntExact(shape.get(1))};
    }

    /** Refuses a block whose initialised weight disagrees with the shape its description implies. */
    private static void checkWeight(Block block, String path, Shape expected) {
        Parameter weight = block.getParameters().get("weight");
        if (weight != null && weight.isInitialized()) {
            Shape actual = weight.getArray().getShape();
            if (!Arrays.equals(actual.getShape(), expected.getShape())) {
                throw refuse(
                        block,
                        path,
                        "its weight has shape " + actual + " but the input shape implies " + expected);
            }
        }
    }

    private static UnsupportedBlockException refuse(Block block, String path, String reason) {
        return new UnsupportedBlockException(path, block.getClass().getName(), reason);
    }
}
