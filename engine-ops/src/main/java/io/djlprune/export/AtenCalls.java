package io.djlprune.export;

import io.djlprune.ops.ActivationOp;
import io.djlprune.ops.AdaptiveAvgPool2dOp;
import io.djlprune.ops.BatchNormOp;
import io.djlprune.ops.Conv2dOp;
import io.djlprune.ops.PoolKind;
import io.djlprune.ops.Pool2dOp;
import java.util.List;

/**
 * Spells each op as the {@code torch.<aten op>} call DJL's PyTorch engine makes for it, with every argument explicit
 * so the exported graph does not depend on defaults of a future LibTorch.
 */
final class AtenCalls {

    /** The start of the gelu call, whose presence raises the archive's format version. */
    static final String GELU = "torch.gelu(";

    private AtenCalls() {}

    /**
     * Returns {@code torch.conv2d(input, weight, bias, stride, padding, dilation, groups)}.
     *
     * @param op the convolution
     * @param input the input expression
     * @return the call
     */
    static String conv2d(Conv2dOp op, String input) {
        return "torch.conv2d("
                + input
                + ", self.weight, "
                + (op.bias() ? "self.bias" : "None")
                + ", "
                + ScriptLiterals.intList(op.stride())
                + ", "
                + ScriptLiterals.intList(op.padding())
                + ", "
                + ScriptLiterals.intList(op.dilation())
                + ", "
                + op.groups()
                + ")";
    }

    /**
     * Returns {@code torch.batch_norm(...)} reading {@code self.training}, so a PyTorch user can fine-tune the export.
     * DJL's momentum is the weight of the old running value, PyTorch's the weight of the new one; DJL's engine passes
     * {@code 1 - momentum} (computed in float) to LibTorch, and so does this call. ε is widened from float exactly as
     * DJL widens it.
     *
     * @param op the normalisation
     * @param input the input expression
     * @return the call
     */
    static String batchNorm(BatchNormOp op, String input) {
        double torchMomentum = 1f - op.momentum();
        return "torch.batch_norm("
                + input
                + ", self.weight, self.bias, self.running_mean, self.running_var, self.training, "
                + ScriptLiterals.floating(torchMomentum)
                + ", "
                + ScriptLiterals.floating(op.epsilon())
                + ", True)";
    }

    /**
     * Returns {@code torch.linear(input, weight, bias)}.
     *
     * @param bias whether the layer has a bias
     * @param input the input expression
     * @return the call
     */
    static String linear(boolean bias, String input) {
        return "torch.linear(" + input + ", self.weight, " + (bias ? "self.bias" : "None") + ")";
    }

    /**
     * Returns the activation call, with the constants DJL's engine uses (softplus β 1 and threshold 20, ELU scale 1).
     *
     * @param op the activation
     * @param input the input expression
     * @return the call
     */
    static String activation(ActivationOp op, String input) {
        switch (op.kind()) {
            case RELU:
                return "torch.relu(" + input + ")";
            case RELU6:
                return "torch.hardtanh(" + input + ", 0., 6.)";
            case LEAKY_RELU:
                return "torch.leaky_relu(" + input + ", " + ScriptLiterals.floating(op.alpha()) + ")";
            case ELU:
                return "torch.elu(" + input + ", " + ScriptLiterals.floating(op.alpha()) + ", 1, 1)";
            case SIGMOID:
                return "torch.sigmoid(" + input + ")";
            case TANH:
                return "torch.tanh(" + input + ")";
            case SOFTPLUS:
                return "torch.softplus(" + input + ", 1, 20)";
            case SWISH:
                return "torch.silu(" + input + ")";
            case MISH:
                return "torch.mish(" + input + ")";
            case GELU:
                return GELU + input + ", approximate=\"none\")";
            default:
                throw new IllegalArgumentException("No TorchScript call for activation " + op.kind());
        }
    }

    /**
     * Returns the windowed pooling call.
     *
     * @param op the pooling
     * @param input the input expression
     * @return the call
     */
    static String pool2d(Pool2dOp op, String input) {
        String window =
                ScriptLiterals.intList(op.kernel())
                        + ", "
                        + ScriptLiterals.intList(op.stride())
                        + ", "
                        + ScriptLiterals.intList(op.padding())
                        + ", ";
        if (op.kind() == PoolKind.MAX) {
            return "torch.max_pool2d(" + input + ", " + window + "[1, 1], " + ScriptLiterals.bool(op.ceilMode()) + ")";
        }
        return "torch.avg_pool2d("
                + input
                + ", "
                + window
                + ScriptLiterals.bool(op.ceilMode())
                + ", "
                + ScriptLiterals.bool(op.countIncludePad())
                + ", None)";
    }

    /**
     * Returns the statements of a global pooling: adaptive pooling to 1×1, then, when the DJL block drops the two
     * unit axes (as DJL's global pooling blocks do, giving {@code (N, C)}), a flatten.
     *
     * @param kind max or average
     * @param keepSpatialAxes whether the block's output is {@code (N, C, 1, 1)}
     * @return the statements, the last one returning
     */
    static List<String> globalPool(PoolKind kind, boolean keepSpatialAxes) {
        String pooled =
                kind == PoolKind.MAX
                        // aten::adaptive_max_pool2d returns (values, indices).
                        ? "pooled, indices = torch.adaptive_max_pool2d(x, [1, 1])"
                        : "pooled = torch.adaptive_avg_pool2d(x, [1, 1])";
        return List.of(pooled, keepSpatialAxes ? "return pooled" : "return " + flatten("pooled"));
    }

    /**
     * Returns {@code torch.adaptive_avg_pool2d(input, [height, width])}, PyTorch's own adaptive bins.
     *
     * @param op the pooling
     * @param input the input expression
     * @return the call
     */
    static String adaptiveAvgPool2d(AdaptiveAvgPool2dOp op, String input) {
        return "torch.adaptive_avg_pool2d(" + input + ", " + ScriptLiterals.intList(new int[] {op.height(), op.width()})
                + ")";
    }

    /**
     * Returns {@code torch.flatten(input, 1, -1)}, DJL's batch flatten.
     *
     * @param input the input expression
     * @return the call
     */
    static String flatten(String input) {
        return "torch.flatten(" + input + ", 1, -1)";
    }

    /**
     * Returns {@code (N, C) → (N, C, 1, 1)} without a built-in channel count, so it fits any compacted width.
     *
     * @param input the input expression
     * @return the call
     */
    static String unflatten(String input) {
        return "torch.unsqueeze(torch.unsqueeze(" + input + ", 2), 3)";
    }

    /**
     * Returns functional dropout reading {@code self.training}: identity once the module is in eval mode.
     *
     * @param rate the drop probability
     * @param input the input expression
     * @return the call
     */
    static String dropout(float rate, String input) {
        return "torch.dropout(" + input + ", " + ScriptLiterals.floating(rate) + ", self.training)";
    }

    /**
     * Returns the element-wise sum of the branches, left to right.
     *
     * @param branches the branch output variables, at least two
     * @return the call
     */
    static String add(List<String> branches) {
        String sum = branches.get(0);
        for (int i = 1; i < branches.size(); i++) {
            sum = "torch.add(" + sum + ", " + branches.get(i) + ", alpha=1)";
        }
        return sum;
    }

    /**
     * Returns the concatenation of the branches.
     *
     * @param branches the branch output variables
     * @param axis the axis
     * @return the call
     */
    static String cat(List<String> branches, int axis) {
        return "torch.cat([" + String.join(", ", branches) + "], " + axis + ")";
    }
}
