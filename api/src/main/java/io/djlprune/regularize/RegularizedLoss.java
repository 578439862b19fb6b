package io.djlprune.regularize;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.loss.Loss;
import io.djlprune.ndarray.OwnedArrays;

/**
 * A DJL {@link Loss} that adds a weighted {@link Regularizer} to a task loss: {@code L = base + weight · R(W)}. Use
 * it as the loss of a {@code DefaultTrainingConfig}; the unweighted value of R is reported as its own training
 * metric when {@link #regularizerMetric()} is added as an evaluator.
 *
 * <p>The regulariser reads the parameters directly, so training must run on the one device that holds them.
 */
public class RegularizedLoss extends Loss {

    private final Loss base;
    private final Regularizer regularizer;
    private final float weight;
    private volatile float lastValue = Float.NaN;

    /**
     * Creates the loss.
     *
     * @param name the loss's name in training logs
     * @param base the task loss
     * @param regularizer the penalty
     * @param weight the penalty's weight
     * @param weightSymbol how error messages name the weight, e.g. {@code "α"}
     * @throws IllegalArgumentException if the weight is negative or not finite, or an argument is null
     */
    protected RegularizedLoss(String name, Loss base, Regularizer regularizer, float weight, String weightSymbol) {
        super(name);
        if (base == null || regularizer == null) {
            throw new IllegalArgumentException("A regularised loss needs a base loss and a regulariser");
        }
        this.base = base;
        this.regularizer = regularizer;
        this.weight = requireWeight(weight, weightSymbol);
    }

    /**
     * Creates a regularised loss with any regulariser.
     *
     * @param base the task loss, e.g. {@code Loss.softmaxCrossEntropyLoss()}
     * @param regularizer the penalty
     * @param weight the penalty's weight, ≥ 0
     * @return the loss, named after the regulariser
     * @throws IllegalArgumentException if the weight is negative or not finite
     */
    public static RegularizedLoss of(Loss base, Regularizer regularizer, float weight) {
        String name = regularizer == null ? "RegularizedLoss" : "RegularizedLoss(" + regularizer.getName() + ")";
        return new RegularizedLoss(name, base, regularizer, weight, "regulariser weight");
    }

    /**
     * Checks a regulariser weight.
     *
     * @param weight the value
     * @param symbol how the message names it
     * @return the value
     * @throws IllegalArgumentException if it is negative, NaN or infinite
     */
    public static float requireWeight(float weight, String symbol) {
        if (!(weight >= 0) || !Float.isFinite(weight)) {
            throw new IllegalArgumentException("The " + symbol + " must be a finite number ≥ 0, got " + weight);
        }
        return weight;
    }

    /**
     * Returns the task loss.
     *
     * @return the base loss
     */
    public Loss getBase() {
        return base;
    }

    /**
     * Returns the penalty.
     *
     * @return the regulariser
     */
    public Regularizer getRegularizer() {
        return regularizer;
    }

    /**
     * Returns the penalty's weight.
     *
     * @return the weight
     */
    public float getWeight() {
        return weight;
    }

    /**
     * Returns the unweighted regulariser value of the last evaluation, NaN before the first.
     *
     * @return R(W) as last computed
     */
    public float getLastRegularizerValue() {
        return lastValue;
    }

    /** {@inheritDoc} */
    @Override
    public NDArray evaluate(NDList labels, NDList predictions) {
        NDArray baseLoss = base.evaluate(labels, predictions);
        try (NDManager scope = NDManager.subManagerOf(baseLoss)) {
            NDArray penalty = regularizer.evaluate(scope);
            // read for the metric with toType, which is fine here: the metric is never differentiated
            lastValue = penalty.toType(DataType.FLOAT32, false).getFloat();
            NDArray total = baseLoss.add(OwnedArrays.times(sameType(penalty, baseLoss), weight));
            return scope.ret(total);
        }
    }

    /**
     * Converts a scalar by a product with ones of the target type: DJL's toType on PyTorch would cut the autograd
     * graph. The ones have shape (1) because a dimensioned tensor decides the result type over a 0-d one.
     */
    private static NDArray sameType(NDArray scalar, NDArray like) {
        if (scalar.getDataType() == like.getDataType()) {
            return scalar;
        }
        NDManager manager = scalar.getManager();
        NDArray ones = manager.ones(new Shape(1), like.getDataType(), scalar.getDevice());
        return scalar.mul(ones).reshape(new Shape());
    }

    /**
     * Returns an evaluator that reports the unweighted regulariser of the last training step as a metric named after
     * the regulariser; it is never part of a gradient.
     *
     * @return the evaluator
     */
    public Loss regularizerMetric() {
        return new ValueMetric(regularizer.getName(), this);
    }

    /** Reports the last regulariser value; computing it again per evaluator would double the cost of a step. */
    private static final class ValueMetric extends Loss {
        private final RegularizedLoss loss;

        ValueMetric(String name, RegularizedLoss loss) {
            super(name);
            this.loss = loss;
        }

        @Override
        public NDArray evaluate(NDList labels, NDList predictions) {
            return predictions.head().getManager().create(loss.lastValue);
        }
    }
}
