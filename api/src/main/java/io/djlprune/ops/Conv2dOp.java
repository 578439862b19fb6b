package io.djlprune.ops;

import java.util.Arrays;

/**
 * A 2-D convolution over NCHW input, as DJL's {@code Conv2d} computes it (weight {@code (out, in/groups, kH, kW)}).
 *
 * <p>The array components are copied in and out, and {@code equals}, {@code hashCode} and {@code toString} compare
 * their contents, so a {@code Conv2dOp} is a value like every other {@link Op}.
 *
 * @param inChannels input channels
 * @param outChannels output channels (filters)
 * @param kernel kernel height and width
 * @param stride stride along height and width
 * @param padding zero padding along height and width
 * @param dilation dilation along height and width
 * @param groups the number of groups; {@code groups == inChannels == outChannels} is depthwise
 * @param bias whether a bias is added
 */
public record Conv2dOp(
        int inChannels,
        int outChannels,
        int[] kernel,
        int[] stride,
        int[] padding,
        int[] dilation,
        int groups,
        boolean bias)
        implements Op {

    /**
     * Creates the op, copying the arrays so that later changes to the caller's arrays cannot change it.
     *
     * @param inChannels input channels
     * @param outChannels output channels (filters)
     * @param kernel kernel height and width
     * @param stride stride along height and width
     * @param padding zero padding along height and width
     * @param dilation dilation along height and width
     * @param groups the number of groups
     * @param bias whether a bias is added
     */
    public Conv2dOp {
        kernel = kernel.clone();
        stride = stride.clone();
        padding = padding.clone();
        dilation = dilation.clone();
    }

    /**
     * Returns the kernel height and width.
     *
     * @return a copy of the kernel size
     */
    @Override
    public int[] kernel() {
        return kernel.clone();
    }

    /**
     * Returns the stride along height and width.
     *
     * @return a copy of the stride
     */
    @Override
    public int[] stride() {
        return stride.clone();
    }

    /**
     * Returns the zero padding along height and width.
     *
     * @return a copy of the padding
     */
    @Override
    public int[] padding() {
        return padding.clone();
    }

    /**
     * Returns the dilation along height and width.
     *
     * @return a copy of the dilation
     */
    @Override
    public int[] dilation() {
        return dilation.clone();
    }

    /**
     * Returns whether every group has one input and one output channel (channels pass straight through).
     *
     * @return true for a depthwise convolution
     */
    public boolean isDepthwise() {
        return groups > 1 && groups == inChannels && groups == outChannels;
    }

    /** {@inheritDoc} */
    @Override
    public boolean equals(Object o) {
        return o instanceof Conv2dOp other
                && inChannels == other.inChannels
                && outChannels == other.outChannels
                && Arrays.equals(kernel, other.kernel)
                && Arrays.equals(stride, other.stride)
                && Arrays.equals(padding, other.padding)
                && Arrays.equals(dilation, other.dilation)
                && groups == other.groups
                && bias == other.bias;
    }

    /** {@inheritDoc} */
    @Override
    public int hashCode() {
        int h = Integer.hashCode(inChannels);
        h = 31 * h + Integer.hashCode(outChannels);
        h = 31 * h + Arrays.hashCode(kernel);
        h = 31 * h + Arrays.hashCode(stride);
        h = 31 * h + Arrays.hashCode(padding);
        h = 31 * h + Arrays.hashCode(dilation);
        h = 31 * h + Integer.hashCode(groups);
        return 31 * h + Boolean.hashCode(bias);
    }

    /** {@inheritDoc} */
    @Override
    public String toString() {
        return "Conv2dOp[inChannels=" + inChannels
                + ", outChannels=" + outChannels
                + ", kernel=" + Arrays.toString(kernel)
                + ", stride=" + Arrays.toString(stride)
                + ", padding=" + Arrays.toString(padding)
                + ", dilation=" + Arrays.toString(dilation)
                + ", groups=" + groups
                + ", bias=" + bias
                + "]";
    }
}
