package io.djlprune.chipnet;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.djlprune.gate.Gate;
import io.djlprune.gate.GateMode;
import io.djlprune.ops.BatchNormOp;

/**
 * A BatchNorm followed by its channel gate, computed in one pass while the gates are soft: since
 * {@code z·(γ·x̂ + β) = (z·γ)·x̂ + z·β}, the gate scales the BatchNorm's γ and β (vectors of C values) instead of
 * multiplying the whole activation, which saves a full-size product forward and two backward per gated layer — on
 * ResNet-20 most of the gates' training cost. With hard or no gates it is exactly the BatchNorm, then the gate.
 *
 * <p>Both children are the original objects: the BatchNorm keeps sharing its trained parameters and running
 * statistics with the dense network, and the gate is the one {@link GatedNetwork} lists.
 */
final class GatedBatchNorm extends AbstractBlock {

    private final BatchNorm batchNorm;
    private final BatchNormOp op;
    private final Gate gate;

    /**
     * Joins a BatchNorm (over axis 1) and the gate that follows it.
     *
     * @param batchNorm the BatchNorm, exactly DJL's class
     * @param op its description (ε, momentum)
     * @param gate its gate
     */
    GatedBatchNorm(BatchNorm batchNorm, BatchNormOp op, Gate gate) {
        this.batchNorm = addChildBlock("batchNorm", batchNorm);
        this.op = op;
        this.gate = addChildBlock("gate", gate);
    }

    /** {@inheritDoc} */
    @Override
    protected NDList forwardInternal(
            ParameterStore parameterStore, NDList inputs, boolean training, PairList<String, Object> params) {
        boolean frozen = gate.getController().isFrozenStatistics();
        if (gate.getController().getMode() != GateMode.SOFT) {
            NDList normalised =
                    frozen && training
                            ? normalise(parameterStore, inputs.singletonOrThrow(), null, true, false)
                            : batchNorm.forward(parameterStore, inputs, training, params);
            return gate.forward(parameterStore, normalised, training, params);
        }
        NDArray x = inputs.singletonOrThrow();
        NDArray z = gate.softForwardValues(parameterStore, x, training);
        return normalise(parameterStore, x, z, training, training && !frozen);
    }

    /**
     * As DJL's BatchNorm.forwardInternal, with γ and β scaled by the gate z when it is given; by the batch's statistics
     * (which also updates the running ones) or by the running statistics alone.
     */
    private NDList normalise(
            ParameterStore parameterStore, NDArray x, NDArray z, boolean training, boolean batchStatistics) {
        Device device = x.getDevice();
        NDArray gamma = value(parameterStore, "gamma", device, training);
        NDArray beta = value(parameterStore, "beta", device, training);
        if (z != null) {
            // z first: a product belongs to its first operand's manager, and z's is the batch's (γ's is the model's)
            gamma = z.mul(gamma);
            beta = z.mul(beta);
        }
        return BatchNorm.batchNorm(
                x,
                value(parameterStore, "runningMean", device, training),
                value(parameterStore, "runningVar", device, training),
                gamma,
                beta,
                1,
                op.momentum(),
                op.epsilon(),
                batchStatistics);
    }

    private NDArray value(ParameterStore parameterStore, String name, Device device, boolean training) {
        Parameter parameter = batchNorm.getParameters().get(name);
        return parameterStore.getValue(parameter, device, training);
    }

    /** {@inheritDoc} */
    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return gate.getOutputShapes(batchNorm.getOutputShapes(inputShapes));
    }

    /** {@inheritDoc} */
    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        batchNorm.initialize(manager, dataType, inputShapes);
        gate.initialize(manager, dataType, batchNorm.getOutputShapes(inputShapes));
    }
}
