package io.djlprune.zoo.data;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.translate.Transform;
import java.util.Arrays;

/**
 * Normalises images per channel, {@code (x − mean[c]) / std[c]}, for any channel count, on one image {@code (C, H, W)}
 * or a batch {@code (N, C, H, W)}. DJL's own {@code Normalize} assumes three channels, which grey images lack.
 */
public class ChannelNormalize implements Transform {

    private final float[] mean;
    private final float[] std;

    /**
     * Creates the transform.
     *
     * @param mean the mean of each channel
     * @param std the standard deviation of each channel, all positive
     */
    public ChannelNormalize(float[] mean, float[] std) {
        if (mean.length != std.length || mean.length == 0) {
            throw new IllegalArgumentException(
                    "mean and std need one value per channel: " + Arrays.toString(mean) + " vs " + Arrays.toString(std));
        }
        for (float s : std) {
            if (!(s > 0)) {
                throw new IllegalArgumentException("std must be positive, got " + Arrays.toString(std));
            }
        }
        this.mean = mean.clone();
        this.std = std.clone();
    }

    /** {@inheritDoc} */
    @Override
    public NDArray transform(NDArray array) {
        int dims = array.getShape().dimension();
        long channels = dims == 4 ? array.getShape().get(1) : dims == 3 ? array.getShape().get(0) : -1;
        if (channels != mean.length) {
            throw new IllegalArgumentException(
                    "ChannelNormalize for " + mean.length + " channels got an array of shape " + array.getShape());
        }
        Shape perChannel = new Shape(mean.length, 1, 1);
        try (NDArray m = array.getManager().create(mean, perChannel).toDevice(array.getDevice(), false);
                NDArray s = array.getManager().create(std, perChannel).toDevice(array.getDevice(), false)) {
            return array.sub(m).div(s);
        }
    }
}
