package io.djlprune.compact;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.norm.BatchNorm;
import io.djlprune.graph.LayerNode;
import io.djlprune.ops.BatchNormOp;

/**
 * Shrinks a {@code BatchNorm}: keeps γ, β, running mean and running variance of the kept channels, with the same ε,
 * momentum, centre and scale; a planned leak correction is subtracted from the running mean.
 */
final class BatchNormSlicer implements LayerSlicer {

    private static final String[] PARAMETERS = {"gamma", "beta", "runningMean", "runningVar"};

    /** {@inheritDoc} */
    @Override
    public void check(LayerNode node) {
        ParameterSlices.require(node, BatchNorm.class);
    }

    /** {@inheritDoc} */
    @Override
    public Block slice(LayerNode node, SliceSpec spec, NDManager owner) {
        check(node);
        BatchNormOp op = (BatchNormOp) node.op();
        BatchNorm rebuilt =
                BatchNorm.builder()
                        .optEpsilon(op.epsilon())
                        .optMomentum(op.momentum())
                        .optCenter(op.center())
                        .optScale(op.scale())
                        .build();
        try (NDManager scope = owner.newSubManager()) {
            for (String name : PARAMETERS) {
                NDArray values = ParameterSlices.rows(node, name, spec.keptOut(), scope);
                if (name.equals("runningMean")) {
                    // BN(x + δ) normalises x + δ − μ: the same as BN(x) with mean μ − δ.
                    values = ParameterSlices.shifted(values, spec.meanShift(), spec.keptOut(), -1, scope);
                }
                ParameterSlices.set(rebuilt, name, values, owner);
            }
        }
        return rebuilt;
    }
}
