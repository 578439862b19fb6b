package io.djlprune.ops;

/**
 * A 2-D convolution over NCHW input, as DJL's {@code Conv2d} computes it (weight {@code (out, in/groups, kH, kW)}).
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
     * Returns whether every group has one input and one output channel (channels pass straight through).
     *
     * @return true for a depthwise convolution
     */
    public boolean isDepthwise() {
        return groups > 1 && groups == inChannels && groups == outChannels;
    }
}
