package io.djlprune.chipnet;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import io.djlprune.graph.LayerNode;
import io.djlprune.ops.BatchNormOp;
import io.djlprune.ops.Conv2dOp;
import io.djlprune.ops.LinearOp;
import io.djlprune.ops.UnsupportedBlockException;

/**
 * Folds a gate's fixed per-channel factors into the layer the gate follows, so that the layer alone computes what
 * layer-then-gate computed: {@code z·(γ·x̂ + β) = (z·γ)·x̂ + z·β} for a BatchNorm, {@code z·(W·x + b) = (z·W)·x + z·b}
 * (rows of W, i.e. output channels) for a convolution or a linear layer. Anything else is refused by name.
 */
final class KeptScaleFolding {

    private KeptScaleFolding() {}

    /**
     * Multiplies the output-channel parameters of a gate site by the factors, in place.
     *
     * @param site the layer a gate follows
     * @param factors one factor per output channel
     * @throws UnsupportedBlockException if the layer's parameters cannot absorb the factors
     */
    static void fold(LayerNode site, float[] factors) {
        if (site.op() instanceof BatchNormOp op) {
            if (!op.scale()) {
                throw new UnsupportedBlockException(
                        site.path(), site.block().getClass().getName(),
                        "a BatchNorm without scale (γ) cannot absorb the gate's kept-channel factors; keep the"
                                + " reference scale of 1 for kept channels");
            }
            scaleRows(site, "gamma", factors);
            if (op.center()) {
                scaleRows(site, "beta", factors);
            }
        } else if (site.op() instanceof Conv2dOp op) {
            scaleRows(site, "weight", factors);
            if (op.bias()) {
                scaleRows(site, "bias", factors);
            }
        } else if (site.op() instanceof LinearOp op) {
            scaleRows(site, "weight", factors);
            if (op.bias()) {
                scaleRows(site, "bias", factors);
            }
        } else {
            throw new UnsupportedBlockException(
                    site.path(), site.block().getClass().getName(),
                    "the gate's kept-channel factors can be folded into a BatchNorm, a Conv2d or a Linear layer only,"
                            + " not into " + site.op().getClass().getSimpleName());
        }
    }

    private static void scaleRows(LayerNode site, String name, float[] factors) {
        Parameter parameter = site.block().getParameters().get(name);
        if (parameter == null || !parameter.isInitialized()) {
            throw new UnsupportedBlockException(
                    site.path(), site.block().getClass().getName(), "it has no initialised parameter '" + name + "'");
        }
        NDArray array = parameter.getArray();
        if (array.getShape().dimension() < 1 || array.getShape().get(0) != factors.length) {
            throw new IllegalArgumentException(
                    site.path() + "." + name + " has shape " + array.getShape() + ", not " + factors.length
                            + " output channels on axis 0");
        }
        long[] perRow = new long[array.getShape().dimension()];
        java.util.Arrays.fill(perRow, 1);
        perRow[0] = factors.length;
        try (NDManager scope = array.getManager().newSubManager()) {
            NDArray scale = scope.create(factors).toType(array.getDataType(), false).reshape(perRow);
            array.muli(scale);
        }
    }
}
