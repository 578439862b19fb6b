package io.djlprune.export;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import io.djlprune.ops.ActivationOp;
import io.djlprune.ops.AdaptiveAvgPool2dOp;
import io.djlprune.ops.BatchNormOp;
import io.djlprune.ops.Conv2dOp;
import io.djlprune.ops.DropoutOp;
import io.djlprune.ops.FlattenOp;
import io.djlprune.ops.UnflattenOp;
import io.djlprune.ops.GlobalPoolOp;
import io.djlprune.ops.IdentityOp;
import io.djlprune.ops.JoinOp;
import io.djlprune.ops.LinearOp;
import io.djlprune.ops.Op;
import io.djlprune.ops.Pool2dOp;
import io.djlprune.ops.PoolKind;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns one classified leaf block into a module: the class that computes its op and the tensors copied from its DJL
 * parameters under PyTorch's names (BatchNorm's gamma/beta become {@code weight}/{@code bias}, its running statistics
 * the buffers {@code running_mean}/{@code running_var}). The block's parameter names and shapes must be exactly what
 * the op implies; anything else is refused, so a mislabelled block can never export silently.
 */
final class LeafModules {

    private static final List<String> NO_TENSORS = List.of();

    private final ClassRegistry registry;

    /**
     * Creates a translator that defines its classes in a registry.
     *
     * @param registry the export's class registry
     */
    LeafModules(ClassRegistry registry) {
        this.registry = registry;
    }

    /**
     * Translates a leaf.
     *
     * @param op what the classifier says the block computes
     * @param block the initialised block
     * @param input the shape of the block's input
     * @param output the shape of the block's output
     * @param path the block's path, for messages
     * @return the module
     * @throws UnsupportedExportException if the block's parameters do not match the op or are not float32
     */
    ScriptModule translate(Op op, Block block, Shape input, Shape output, String path) {
        Leaf leaf = new Leaf(block, path);
        if (op instanceof Conv2dOp conv) {
            boolean matches = input.dimension() == 4 && input.get(1) == conv.inChannels();
            leaf.requireInput(input, matches, "(N, " + conv.inChannels() + ", H, W)");
            return conv(conv, leaf);
        } else if (op instanceof BatchNormOp norm) {
            boolean matches = input.dimension() >= 2 && input.get(1) == norm.channels();
            leaf.requireInput(input, matches, "(N, " + norm.channels() + ", …)");
            return batchNorm(norm, leaf, input);
        } else if (op instanceof LinearOp linear) {
            boolean matches = input.dimension() >= 2 && input.get(input.dimension() - 1) == linear.inFeatures();
            leaf.requireInput(input, matches, "(N, " + linear.inFeatures() + ")");
            leaf.expect(linear.bias() ? Set.of("weight", "bias") : Set.of("weight"));
            Map<String, TensorData> parameters = new LinkedHashMap<>();
            parameters.put("weight", leaf.tensor("weight", linear.outFeatures(), linear.inFeatures()));
            if (linear.bias()) {
                parameters.put("bias", leaf.tensor("bias", linear.outFeatures()));
            }
            return define("Linear", parameters, Map.of(), AtenCalls.linear(linear.bias(), "x"));
        } else if (op instanceof ActivationOp activation) {
            leaf.expect(Set.of());
            String call = AtenCalls.activation(activation, "x");
            return define(activationClass(activation.kind()), Map.of(), Map.of(), call);
        } else if (op instanceof Pool2dOp pool) {
            leaf.expect(Set.of());
            leaf.requirePairs(pool.kernel(), pool.stride(), pool.padding());
            String name = pool.kind() == PoolKind.MAX ? "MaxPool2d" : "AvgPool2d";
            return define(name, Map.of(), Map.of(), AtenCalls.pool2d(pool, "x"));
        } else if (op instanceof GlobalPoolOp global) {
            leaf.expect(Set.of());
            return globalPool(global, leaf, output);
        } else if (op instanceof AdaptiveAvgPool2dOp adaptive) {
            leaf.expect(Set.of());
            leaf.requireInput(input, input.dimension() == 4, "(N, C, H, W)");
            return define("AdaptiveAvgPool2d", Map.of(), Map.of(), AtenCalls.adaptiveAvgPool2d(adaptive, "x"));
        } else if (op instanceof FlattenOp) {
            leaf.expect(Set.of());
            return define("Flatten", Map.of(), Map.of(), AtenCalls.flatten("x"));
        } else if (op instanceof UnflattenOp) {
            leaf.expect(Set.of());
            return define("Unflatten", Map.of(), Map.of(), AtenCalls.unflatten("x"));
        } else if (op instanceof IdentityOp) {
            leaf.expect(Set.of());
            return define("Identity", Map.of(), Map.of(), "x");
        } else if (op instanceof DropoutOp dropout) {
            leaf.expect(Set.of());
            return define("Dropout", Map.of(), Map.of(), AtenCalls.dropout(dropout.rate(), "x"));
        } else if (op instanceof JoinOp) {
            throw leaf.refuse("the classifier described a leaf block as a join, which only a ParallelBlock can be");
        }
        throw leaf.refuse("no TorchScript translation for op " + op);
    }

    private ScriptModule conv(Conv2dOp conv, Leaf leaf) {
        leaf.requirePairs(conv.kernel(), conv.stride(), conv.padding(), conv.dilation());
        if (conv.groups() < 1 || conv.inChannels() % conv.groups() != 0 || conv.outChannels() % conv.groups() != 0) {
            throw leaf.refuse("groups " + conv.groups() + " do not divide the channels of " + conv);
        }
        leaf.expect(conv.bias() ? Set.of("weight", "bias") : Set.of("weight"));
        Map<String, TensorData> parameters = new LinkedHashMap<>();
        parameters.put(
                "weight",
                leaf.tensor(
                        "weight",
                        conv.outChannels(),
                        conv.inChannels() / conv.groups(),
                        conv.kernel()[0],
                        conv.kernel()[1]));
        if (conv.bias()) {
            parameters.put("bias", leaf.tensor("bias", conv.outChannels()));
        }
        return define("Conv2d", parameters, Map.of(), AtenCalls.conv2d(conv, "x"));
    }

    private ScriptModule batchNorm(BatchNormOp norm, Leaf leaf, Shape input) {
        leaf.expect(Set.of("gamma", "beta", "runningMean", "runningVar"));
        // DJL keeps gamma and beta even when scale/center are off (fixed at 1 and 0, not trained), and its forward
        // uses them, so writing their values is exact in every case.
        Map<String, TensorData> parameters = new LinkedHashMap<>();
        parameters.put("weight", leaf.tensor("gamma", norm.channels()));
        parameters.put("bias", leaf.tensor("beta", norm.channels()));
        Map<String, TensorData> buffers = new LinkedHashMap<>();
        buffers.put("running_mean", leaf.tensor("runningMean", norm.channels()));
        buffers.put("running_var", leaf.tensor("runningVar", norm.channels()));
        String name = input.dimension() == 4 ? "BatchNorm2d" : "BatchNorm1d";
        return define(name, parameters, buffers, AtenCalls.batchNorm(norm, "x"));
    }

    private ScriptModule globalPool(GlobalPoolOp global, Leaf leaf, Shape output) {
        boolean keepSpatialAxes;
        if (output.dimension() == 4 && output.get(2) == 1 && output.get(3) == 1) {
            keepSpatialAxes = true;
        } else if (output.dimension() == 2) {
            keepSpatialAxes = false;
        } else {
            throw leaf.refuse("a global pooling whose output shape is " + output + ", neither (N, C) nor (N, C, 1, 1)");
        }
        String name = global.kind() == PoolKind.MAX ? "GlobalMaxPool2d" : "GlobalAvgPool2d";
        List<String> forward = AtenCalls.globalPool(global.kind(), keepSpatialAxes);
        ModuleClass description = new ModuleClass(name, NO_TENSORS, NO_TENSORS, List.of(), forward);
        return new ScriptModule(registry.define(description), Map.of(), Map.of(), Map.of());
    }

    private ScriptModule define(
            String baseName, Map<String, TensorData> parameters, Map<String, TensorData> buffers, String result) {
        ModuleClass description =
                new ModuleClass(
                        baseName,
                        new ArrayList<>(parameters.keySet()),
                        new ArrayList<>(buffers.keySet()),
                        List.of(),
                        List.of("return " + result));
        return new ScriptModule(registry.define(description), parameters, buffers, Map.of());
    }

    private static String activationClass(ActivationOp.Kind kind) {
        switch (kind) {
            case RELU:
                return "ReLU";
            case RELU6:
                return "ReLU6";
            case LEAKY_RELU:
                return "LeakyReLU";
            case ELU:
                return "ELU";
            case SIGMOID:
                return "Sigmoid";
            case TANH:
                return "Tanh";
            case SOFTPLUS:
                return "Softplus";
            case SWISH:
                return "SiLU";
            case MISH:
                return "Mish";
            case GELU:
                return "GELU";
            default:
                throw new IllegalArgumentException("Unknown activation " + kind);
        }
    }

    /** One leaf block being read, checked against what the op implies, and its tensors as the writer stores them. */
    private static final class Leaf extends LeafCheck {

        Leaf(Block block, String path) {
            super(block, path, "TorchScript");
        }

        TensorData tensor(String name, long... expectedShape) {
            NDArray array = parameter(name, expectedShape);
            return new TensorData(array.getShape().getShape(), array.toFloatArray());
        }
    }
}
