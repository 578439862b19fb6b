package io.djlprune.ops;

import java.util.ArrayList;
import java.util.List;

/**
 * The window geometry of a pooling along one spatial axis, with LibTorch's output-size rule.
 *
 * @param kernel window extent
 * @param stride step between windows
 * @param padding padding on each side, at most half the window, as LibTorch demands
 * @param ceilMode whether the output size rounds up
 */
record PoolWindow(int kernel, int stride, int padding, boolean ceilMode) {

    /**
     * Returns the output extent for an input extent, as LibTorch's {@code pooling_output_shape} computes it without
     * dilation: {@code ⌊(in + 2p − k)/s⌋ + 1}, rounded up in ceil mode, minus the last window if it would start in
     * the right padding.
     *
     * @param in the input extent
     * @return the output extent, or −1 where LibTorch would reject the input as too small
     */
    long outputSize(long in) {
        return outputSize(in, kernel, stride, padding, ceilMode);
    }

    private static long outputSize(long in, int kernel, int stride, int padding, boolean ceilMode) {
        long span = in + 2L * padding - kernel;
        if (span < 0) {
            return -1;
        }
        long out = (ceilMode ? Math.floorDiv(span + stride - 1, stride) : span / stride) + 1;
        if (ceilMode && (out - 1) * stride >= in + padding) {
            out--;
        }
        return out;
    }

    /**
     * Returns whether this window and {@code other} produce the same output extent for every input extent. Output
     * sizes are periodic in the input extent with period {@code stride} once the window fits, so checking two
     * periods from the smallest valid input decides it for all inputs.
     *
     * @param other a window with the same kernel, stride and padding
     * @return true if the output sizes always agree
     */
    boolean sameSizesEverywhere(PoolWindow other) {
        long first = Math.max(1, Math.min(kernel - 2L * padding, other.kernel - 2L * other.padding));
        long period = Math.max(stride, other.stride);
        for (long in = first; in < first + 2 * period + 2; in++) {
            if (outputSize(in) != other.outputSize(in)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Enumerates the windows with kernel and stride up to the given bounds and padding up to half the kernel whose
     * output sizes equal the observed ones.
     *
     * @param inputs the input extents probed
     * @param outputs the output extents observed for them
     * @param maxKernel the largest kernel considered
     * @param maxStride the largest stride considered
     * @return every consistent window
     */
    static List<PoolWindow> consistentWith(long[] inputs, long[] outputs, int maxKernel, int maxStride) {
        List<PoolWindow> windows = new ArrayList<>();
        for (int k = 1; k <= maxKernel; k++) {
            for (int p = 0; p <= k / 2; p++) {
                for (boolean ceil : new boolean[] {false, true}) {
                    for (int s = 1; s <= maxStride; s++) {
                        if (reproduces(inputs, outputs, k, s, p, ceil)) {
                            windows.add(new PoolWindow(k, s, p, ceil));
                        }
                    }
                }
            }
        }
        return windows;
    }

    private static boolean reproduces(long[] inputs, long[] outputs, int k, int s, int p, boolean ceil) {
        for (int i = 0; i < inputs.length; i++) {
            if (outputSize(inputs[i], k, s, p, ceil) != outputs[i]) {
                return false;
            }
        }
        return true;
    }
}
