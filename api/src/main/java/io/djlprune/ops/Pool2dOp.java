package io.djlprune.ops;

import java.util.Arrays;

/**
 * A windowed 2-D pooling over NCHW input; acts on each channel alone. It means what LibTorch's {@code max_pool2d} and
 * {@code avg_pool2d} compute with these arguments.
 *
 * <p>The array components are copied in and out, and {@code equals}, {@code hashCode} and {@code toString} compare
 * their contents, so a {@code Pool2dOp} is a value like every other {@link Op}.
 *
 * @param kind max or average
 * @param kernel window height and width
 * @param stride stride along height and width
 * @param padding padding along height and width
 * @param ceilMode whether the output size rounds up
 * @param countIncludePad for average pooling, whether padded zeros count in the divisor; always {@code true} for max
 */
public record Pool2dOp(
        PoolKind kind, int[] kernel, int[] stride, int[] padding, boolean ceilMode, boolean countIncludePad)
        implements Op {

    /**
     * Creates the op, copying the arrays so that later changes to the caller's arrays cannot change it.
     *
     * @param kind max or average
     * @param kernel window height and width
     * @param stride stride along height and width
     * @param padding padding along height and width
     * @param ceilMode whether the output size rounds up
     * @param countIncludePad for average pooling, whether padded zeros count in the divisor
     */
    public Pool2dOp {
        kernel = kernel.clone();
        stride = stride.clone();
        padding = padding.clone();
    }

    /**
     * Returns the window height and width.
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
     * Returns the padding along height and width.
     *
     * @return a copy of the padding
     */
    @Override
    public int[] padding() {
        return padding.clone();
    }

    /** {@inheritDoc} */
    @Override
    public boolean equals(Object o) {
        return o instanceof Pool2dOp other
                && kind == other.kind
                && Arrays.equals(kernel, other.kernel)
                && Arrays.equals(stride, other.stride)
                && Arrays.equals(padding, other.padding)
                && ceilMode == other.ceilMode
                && countIncludePad == other.countIncludePad;
    }

    /** {@inheritDoc} */
    @Override
    public int hashCode() {
        int h = kind.hashCode();
        h = 31 * h + Arrays.hashCode(kernel);
        h = 31 * h + Arrays.hashCode(stride);
        h = 31 * h + Arrays.hashCode(padding);
        h = 31 * h + Boolean.hashCode(ceilMode);
        return 31 * h + Boolean.hashCode(countIncludePad);
    }

    /** {@inheritDoc} */
    @Override
    public String toString() {
        return "Pool2dOp[kind=" + kind
                + ", kernel=" + Arrays.toString(kernel)
                + ", stride=" + Arrays.toString(stride)
                + ", padding=" + Arrays.toString(padding)
                + ", ceilMode=" + ceilMode
                + ", countIncludePad=" + countIncludePad
                + "]";
    }
}
