package io.djlprune.ndarray;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * Constants that an autograd graph may keep: arrays whose memory the engine allocated itself.
 *
 * <p>Why this exists: on DJL's PyTorch engine (0.35, CPU) an array made from Java data — {@code manager.create(2f)},
 * {@code manager.create(float[])}, and the scalar DJL makes behind every {@code array.mul(2f)}, {@code div(Number)},
 * {@code pow(Number)} or {@code maximum(Number)} — is a LibTorch tensor that borrows a Java direct buffer. DJL closes
 * that scalar as soon as the operation returns, but autograd keeps the tensor for the backward pass (a product needs
 * its other factor), and once the JVM collects the buffer the backward pass reads freed memory. Measured: the gradient
 * of {@code x.mul(3f)} was wrong (−7e32, NaN) in 150 of 200 steps when a GC ran between forward and backward. It
 * showed up as ChipNet losses that became NaN now and then, depending on when the GC ran. Everything that can be part
 * of a gradient computation uses these instead.
 */
public final class OwnedArrays {

    private OwnedArrays() {}

    /**
     * Returns a 0-dimensional array holding a value, on an array's manager, device and data type.
     *
     * @param like the array whose manager, device and data type to use
     * @param value the value, exact in float64
     * @return an engine-owned scalar attached to {@code like}'s manager
     */
    public static NDArray scalar(NDArray like, double value) {
        return scalar(like.getManager(), value, like.getDataType());
    }

    /**
     * Returns a 0-dimensional array holding a value.
     *
     * @param manager the manager (and device) of the result
     * @param value the value, exact in float64
     * @param dataType the data type of the result
     * @return an engine-owned scalar attached to the manager
     */
    public static NDArray scalar(NDManager manager, double value, DataType dataType) {
        if (dataType != DataType.FLOAT64) {
            return manager.full(new Shape(), (float) value, dataType); // filled by the engine
        }
        // full() takes a float; a float64 value goes through Java memory once and is copied out of it at once
        return owned(manager.create(value));
    }

    /**
     * Replaces an array made from Java data by an engine-owned copy on the same manager, and closes the original.
     *
     * @param borrowed an array whose memory may be a Java buffer
     * @return the copy
     */
    public static NDArray owned(NDArray borrowed) {
        try (borrowed) {
            return borrowed.duplicate(); // a clone through the engine, attached to the same manager
        }
    }

    /**
     * Returns {@code x · factor}, safe to differentiate.
     *
     * @param x the array
     * @param factor the factor
     * @return the product, on {@code x}'s manager
     */
    public static NDArray times(NDArray x, double factor) {
        try (NDArray scalar = scalar(x, factor)) {
            return x.mul(scalar);
        }
    }

    /**
     * Returns {@code x / divisor}, safe to differentiate.
     *
     * @param x the array
     * @param divisor the divisor, exact in float64
     * @return the quotient, on {@code x}'s manager
     */
    public static NDArray dividedBy(NDArray x, double divisor) {
        try (NDArray scalar = scalar(x, divisor)) {
            return x.div(scalar);
        }
    }

    /**
     * Returns {@code max(x, floor)} element-wise, safe to differentiate.
     *
     * @param x the array
     * @param floor the lower bound
     * @return the bounded array, on {@code x}'s manager
     */
    public static NDArray atLeast(NDArray x, double floor) {
        try (NDArray scalar = scalar(x, floor)) {
            return x.maximum(scalar);
        }
    }
}
