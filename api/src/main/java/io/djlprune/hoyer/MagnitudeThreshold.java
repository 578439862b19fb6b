package io.djlprune.hoyer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;

/**
 * The magnitude below which element-wise pruning zeroes a weight: either one absolute value for every tensor (the
 * reference uses 1e-3 on MNIST, 1e-4 on CIFAR) or a multiple of each tensor's standard deviation. Immutable.
 */
public final class MagnitudeThreshold {

    private final float value;
    private final boolean relativeToStd;

    private MagnitudeThreshold(float value, boolean relativeToStd, String what) {
        if (!(value >= 0) || !Float.isFinite(value)) {
            throw new IllegalArgumentException("The " + what + " must be a finite number ≥ 0, got " + value);
        }
        this.value = value;
        this.relativeToStd = relativeToStd;
    }

    /**
     * Zeroes every weight with {@code |w| < threshold}.
     *
     * @param threshold ≥ 0; 0 prunes nothing
     * @return the threshold
     * @throws IllegalArgumentException if the threshold is negative or not finite
     */
    public static MagnitudeThreshold absolute(float threshold) {
        return new MagnitudeThreshold(threshold, false, "pruning threshold");
    }

    /**
     * Zeroes every weight with {@code |w| < multiple · std(W)}, the population standard deviation of its tensor.
     *
     * @param multiple ≥ 0
     * @return the threshold
     * @throws IllegalArgumentException if the multiple is negative or not finite
     */
    public static MagnitudeThreshold stdMultiple(float multiple) {
        return new MagnitudeThreshold(multiple, true, "multiple of the standard deviation");
    }

    /**
     * Returns the absolute threshold for one tensor.
     *
     * @param weight the tensor
     * @return the magnitude below which its entries are zeroed
     */
    public float thresholdFor(NDArray weight) {
        if (!relativeToStd) {
            return value;
        }
        NDArray centred = weight.sub(weight.mean());
        return value * centred.square().mean().sqrt().toType(DataType.FLOAT32, false).getFloat();
    }

    @Override
    public String toString() {
        return relativeToStd ? "|w| < " + value + "·std" : "|w| < " + value;
    }
}
