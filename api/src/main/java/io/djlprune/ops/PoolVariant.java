package io.djlprune.ops;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.pooling.Pool;

/** The three windowed reductions a pooling candidate can be, each computed with DJL's own {@link Pool} functions. */
enum PoolVariant {
    /** Maximum of the window; padding never wins. */
    MAX(PoolKind.MAX, true) {
        @Override
        NDArray apply(NDArray x, Shape kernel, Shape stride, Shape padding, boolean ceilMode) {
            return Pool.maxPool2d(x, kernel, stride, padding, ceilMode);
        }
    },
    /** Mean of the window, padded zeros counted in the divisor (LibTorch's default). */
    AVG_INCLUDE_PAD(PoolKind.AVG, true) {
        @Override
        NDArray apply(NDArray x, Shape kernel, Shape stride, Shape padding, boolean ceilMode) {
            return Pool.avgPool2d(x, kernel, stride, padding, ceilMode, true);
        }
    },
    /** Mean of the real elements of the window only. */
    AVG_EXCLUDE_PAD(PoolKind.AVG, false) {
        @Override
        NDArray apply(NDArray x, Shape kernel, Shape stride, Shape padding, boolean ceilMode) {
            // DJL 0.35's PyTorch JNI (torchNNAvgPool) drops countIncludePad and always counts the padding, so
            // Pool.avgPool2d(..., false) cannot serve as the reference. Dividing the padded mean of x by the padded
            // mean of ones cancels the divisor and leaves sum(real elements) / count(real elements), which is the
            // exclude-pad mean, also for the partial windows of ceil mode.
            NDArray counted = Pool.avgPool2d(x, kernel, stride, padding, ceilMode, true);
            NDArray realShare = Pool.avgPool2d(x.onesLike(), kernel, stride, padding, ceilMode, true);
            return counted.div(realShare);
        }
    };

    private final PoolKind kind;
    private final boolean countIncludePad;

    PoolVariant(PoolKind kind, boolean countIncludePad) {
        this.kind = kind;
        this.countIncludePad = countIncludePad;
    }

    /**
     * Returns the reduction as {@link Pool2dOp} names it.
     *
     * @return max or average
     */
    PoolKind kind() {
        return kind;
    }

    /**
     * Returns the {@link Pool2dOp#countIncludePad()} this variant means ({@code true} for max, by convention).
     *
     * @return whether padding counts in the divisor
     */
    boolean countIncludePad() {
        return countIncludePad;
    }

    /**
     * Computes this pooling of an NCHW array.
     *
     * @param x the input
     * @param kernel window height and width
     * @param stride stride along height and width
     * @param padding padding along height and width
     * @param ceilMode whether output sizes round up
     * @return the pooled array
     */
    abstract NDArray apply(NDArray x, Shape kernel, Shape stride, Shape padding, boolean ceilMode);
}
