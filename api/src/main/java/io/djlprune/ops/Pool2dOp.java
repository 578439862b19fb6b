package io.djlprune.ops;

/**
 * A windowed 2-D pooling over NCHW input; acts on each channel alone.
 *
 * @param kind max or average
 * @param kernel window height and width
 * @param stride stride along height and width
 * @param padding padding along height and width
 * @param ceilMode whether the output size rounds up
 * @param countIncludePad for average pooling, whether padded zeros count in the divisor
 */
public record Pool2dOp(PoolKind kind, int[] kernel, int[] stride, int[] padding, boolean ceilMode, boolean countIncludePad)
        implements Op {}
