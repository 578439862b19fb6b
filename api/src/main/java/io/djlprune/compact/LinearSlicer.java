package io.djlprune.compact;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.core.Linear;
import io.djlprune.graph.LayerNode;
import io.djlprune.ops.LinearOp;
import io.djlprune.ops.UnsupportedBlockException;

/**
 * Shrinks a {@code Linear}: keeps the kept units (rows of the weight, entries of the bias) and the kept input features
 * (columns), where a flattened channel is its whole run of H·W features.
 */
final class LinearSlicer implements LayerSlicer {

    /** {@inheritDoc} */
    @Override
    public void check(LayerNode node) {
        Linear linear = ParameterSlices.require(node, Linear.class);
        if (((LinearOp) node.op()).bias() != linear.getParameters().contains("bias")) {
            throw new UnsupportedBlockException(
                    node.path(), linear.getClass().getName(), "its bias disagrees with its description " + node.op());
        }
    }

    /** {@inheritDoc} */
    @Override
    public Block slice(LayerNode node, SliceSpec spec, NDManager owner) {
        check(node);
        boolean bias = node.block().getParameters().contains("bias");
        Linear rebuilt = Linear.builder().setUnits(spec.keptOut().length).optBias(bias).build();
        try (NDManager scope = owner.newSubManager()) {
            NDArray weight = ParameterSlices.rows(node, "weight", spec.keptOut(), scope);
            weight = ParameterSlices.take(weight, spec.keptIn(), 1, scope);
            ParameterSlices.set(rebuilt, "weight", weight, owner);
            if (bias) {
                NDArray values = ParameterSlices.rows(node, "bias", spec.keptOut(), scope);
                values = ParameterSlices.shifted(values, spec.biasShift(), spec.keptOut(), 1, scope);
                ParameterSlices.set(rebuilt, "bias", values, owner);
            }
        }
        return rebuilt;
    }
}
