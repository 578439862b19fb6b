package io.djlprune.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * Adaptive average pooling of NCHW input to a fixed {@code (height, width)} map, as PyTorch's
 * {@code torch.nn.AdaptiveAvgPool2d} computes it for any input size: output row {@code i} of {@code out} rows averages
 * the input rows {@code floor(i·in/out)} to {@code ceil((i+1)·in/out) − 1}, and the same for columns. Bins overlap
 * where the sizes do not divide, and repeat input rows where the input is smaller than the output (a 1×1 map becomes
 * a 7×7 map of its value).
 *
 * <p>Each output value is the mean of a rectangle of inputs, which is a row average followed by a column average, so
 * the block computes {@code R · x · Cᵀ} with the averaging matrices {@code R (out_h × H)} and {@code C (out_w × W)} on
 * the input's device; where the input already has the output size it returns the input unchanged. It has no
 * parameters and acts on each channel alone.
 *
 * <pre>{@code
 * Block pool = AdaptiveAvgPool2d.builder().setOutputSize(7, 7).build();
 * }</pre>
 */
public final class AdaptiveAvgPool2d extends AbstractBlock {

    private static final byte VERSION = 1;

    private final int height;
    private final int width;

    private AdaptiveAvgPool2d(Builder builder) {
        super(VERSION);
        this.height = builder.height;
        this.width = builder.width;
    }

    /**
     * Creates a builder.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Returns the output map height.
     *
     * @return the height
     */
    public int getHeight() {
        return height;
    }

    /**
     * Returns the output map width.
     *
     * @return the width
     */
    public int getWidth() {
        return width;
    }

    /** {@inheritDoc} */
    @Override
    protected NDList forwardInternal(
            ParameterStore parameterStore, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        Shape shape = x.getShape();
        check(shape);
        int inHeight = Math.toIntExact(shape.get(2));
        int inWidth = Math.toIntExact(shape.get(3));
        if (inHeight == height && inWidth == width) {
            return new NDList(x);
        }
        NDManager manager = x.getManager();
        DataType type = x.getDataType();
        NDArray rows = manager.create(averagingMatrix(height, inHeight), new Shape(height, inHeight)).toType(type, false);
        NDArray columns = manager.create(averagingMatrix(width, inWidth), new Shape(width, inWidth)).toType(type, false);
        // (N, C, H, W) · (W, w) → (N, C, H, w); (h, H) · (N, C, H, w) broadcasts to (N, C, h, w)
        // the matrices stay with the input's manager: autograd may still need them for the backward pass
        return new NDList(rows.matMul(x.matMul(columns.transpose())));
    }

    /** {@inheritDoc} */
    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        if (inputShapes.length != 1) {
            throw new IllegalArgumentException("AdaptiveAvgPool2d takes one input, got " + inputShapes.length);
        }
        Shape in = inputShapes[0];
        check(in);
        return new Shape[] {new Shape(in.get(0), in.get(1), height, width)};
    }

    /**
     * The averaging matrix of one axis: row {@code i} holds {@code 1/n} on the {@code n} inputs of output bin
     * {@code i}, with PyTorch's bin bounds {@code floor(i·in/out)} (inclusive) and {@code ceil((i+1)·in/out)}
     * (exclusive).
     *
     * @param out the output size
     * @param in the input size, at least 1
     * @return the {@code out × in} matrix, row-major
     * @throws IllegalArgumentException if a size is below 1
     */
    public static float[] averagingMatrix(int out, int in) {
        if (out < 1 || in < 1) {
            throw new IllegalArgumentException("Adaptive pooling needs sizes of at least 1, got " + in + " → " + out);
        }
        float[] matrix = new float[Math.multiplyExact(out, in)];
        for (int i = 0; i < out; i++) {
            int start = (int) ((long) i * in / out);
            int end = (int) (((long) (i + 1) * in + out - 1) / out);
            float weight = 1f / (end - start);
            for (int j = start; j < end; j++) {
                matrix[i * in + j] = weight;
            }
        }
        return matrix;
    }

    private void check(Shape in) {
        if (in.dimension() != 4) {
            throw new IllegalArgumentException(
                    "AdaptiveAvgPool2d needs NCHW input, got " + in + "; flatten or reshape to (N, C, H, W) first");
        }
        if (in.get(2) < 1 || in.get(3) < 1) {
            throw new IllegalArgumentException(
                    "AdaptiveAvgPool2d to " + height + "×" + width + " got an empty map " + in
                            + ": the layers before it shrank the input to nothing; use a larger input image");
        }
    }

    /** {@inheritDoc} */
    @Override
    public String toString() {
        return "AdaptiveAvgPool2d(" + height + ", " + width + ")";
    }

    /** Builds an {@link AdaptiveAvgPool2d}. */
    public static final class Builder {

        private int height;
        private int width;

        /** Created through {@link AdaptiveAvgPool2d#builder()}. */
        Builder() {}

        /**
         * Sets the output map size.
         *
         * @param height the output height, at least 1
         * @param width the output width, at least 1
         * @return this builder
         */
        public Builder setOutputSize(int height, int width) {
            this.height = height;
            this.width = width;
            return this;
        }

        /**
         * Builds the block.
         *
         * @return the block
         * @throws IllegalArgumentException if the output size was not set or is not positive
         */
        public AdaptiveAvgPool2d build() {
            if (height < 1 || width < 1) {
                throw new IllegalArgumentException(
                        "AdaptiveAvgPool2d needs an output size of at least 1×1, got " + height + "×" + width
                                + "; call setOutputSize");
            }
            return new AdaptiveAvgPool2d(this);
        }
    }
}
