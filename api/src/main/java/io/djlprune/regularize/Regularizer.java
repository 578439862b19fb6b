package io.djlprune.regularize;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/**
 * A penalty on a network's current weights, added to the task loss by {@link RegularizedLoss}: Hoyer-Square,
 * Group-HS, group lasso, the L1 of BatchNorm scales. Implementations read the parameters directly, so the value is
 * differentiable with respect to them whenever it is computed inside a DJL {@code GradientCollector}.
 */
public interface Regularizer {

    /**
     * Returns a short name for logs and the training metric, e.g. {@code "group_hoyer_square"}.
     *
     * @return the name
     */
    String getName();

    /**
     * Computes the penalty from the current parameter values.
     *
     * @param manager where the result lives; the parameters must be on its device
     * @return a scalar of the parameters' data type, belonging to {@code manager}
     * @throws IllegalStateException if a parameter is uninitialised or on another device
     */
    NDArray evaluate(NDManager manager);
}
