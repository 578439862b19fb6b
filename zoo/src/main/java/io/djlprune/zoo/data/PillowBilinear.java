package io.djlprune.zoo.data;

/**
 * Resizes 8-bit RGB images exactly as Pillow's {@code Image.resize(size, Image.BILINEAR)} does, the resampling
 * torchvision's {@code Resize} and {@code RandomResizedCrop} use on PIL images: a separable triangle filter whose
 * support widens with the reduction factor (so downscaling averages, antialiased), in 22-bit fixed point, a
 * horizontal pass first, rounded to 8 bits, then a vertical pass. The same bytes in give the same bytes out as
 * Pillow, which is what makes a model evaluated here see the tensors it sees in PyTorch.
 */
public final class PillowBilinear {

    /** Pillow's fixed-point precision for 8-bit images: 32 − 8 − 2 bits. */
    private static final int PRECISION_BITS = 32 - 8 - 2;

    private PillowBilinear() {}

    /**
     * Resizes an image.
     *
     * @param image the image
     * @param width the new width, ≥ 1
     * @param height the new height, ≥ 1
     * @return the resized image (the same object if the size does not change, as Pillow copies it unchanged)
     */
    public static RgbImage resize(RgbImage image, int width, int height) {
        if (width < 1 || height < 1) {
            throw new IllegalArgumentException("Cannot resize to " + width + "×" + height);
        }
        boolean horizontal = width != image.width();
        boolean vertical = height != image.height();
        Coefficients rows = Coefficients.of(image.height(), height);
        RgbImage current = image;
        if (horizontal) {
            // only the source rows the vertical pass reads
            int first = rows.bounds[0];
            int last = rows.bounds[(height - 1) * 2] + rows.bounds[(height - 1) * 2 + 1];
            current = horizontalPass(image, Coefficients.of(image.width(), width), first, last - first);
            rows.shift(first);
        }
        if (vertical) {
            current = verticalPass(current, rows);
        }
        return current;
    }

    private static RgbImage horizontalPass(RgbImage in, Coefficients c, int firstRow, int rowCount) {
        int outWidth = c.outSize;
        byte[] src = in.pixels();
        byte[] out = new byte[outWidth * rowCount * 3];
        for (int y = 0; y < rowCount; y++) {
            int rowStart = (firstRow + y) * in.width() * 3;
            for (int x = 0; x < outWidth; x++) {
                int min = c.bounds[x * 2];
                int count = c.bounds[x * 2 + 1];
                int k = x * c.kernelSize;
                int r = 1 << (PRECISION_BITS - 1);
                int g = r;
                int b = r;
                for (int i = 0; i < count; i++) {
                    int at = rowStart + (min + i) * 3;
                    int w = c.weights[k + i];
                    r += (src[at] & 0xFF) * w;
                    g += (src[at + 1] & 0xFF) * w;
                    b += (src[at + 2] & 0xFF) * w;
                }
                int o = (y * outWidth + x) * 3;
                out[o] = clip8(r);
                out[o + 1] = clip8(g);
                out[o + 2] = clip8(b);
            }
        }
        return new RgbImage(outWidth, rowCount, out);
    }

    private static RgbImage verticalPass(RgbImage in, Coefficients c) {
        int outHeight = c.outSize;
        int width = in.width();
        byte[] src = in.pixels();
        byte[] out = new byte[width * outHeight * 3];
        for (int y = 0; y < outHeight; y++) {
            int min = c.bounds[y * 2];
            int count = c.bounds[y * 2 + 1];
            int k = y * c.kernelSize;
            for (int x = 0; x < width; x++) {
                int r = 1 << (PRECISION_BITS - 1);
                int g = r;
                int b = r;
                for (int i = 0; i < count; i++) {
                    int at = ((min + i) * width + x) * 3;
                    int w = c.weights[k + i];
                    r += (src[at] & 0xFF) * w;
                    g += (src[at + 1] & 0xFF) * w;
                    b += (src[at + 2] & 0xFF) * w;
                }
                int o = (y * width + x) * 3;
                out[o] = clip8(r);
                out[o + 1] = clip8(g);
                out[o + 2] = clip8(b);
            }
        }
        return new RgbImage(width, outHeight, out);
    }

    private static byte clip8(int value) {
        if (value >= (1 << PRECISION_BITS << 8)) {
            return (byte) 255;
        }
        if (value <= 0) {
            return 0;
        }
        return (byte) (value >> PRECISION_BITS);
    }

    private static double triangle(double x) {
        double a = Math.abs(x);
        return a < 1.0 ? 1.0 - a : 0.0;
    }

    /** The fixed-point filter weights of one axis: for each output index, its first input index, count and weights. */
    private static final class Coefficients {
        final int outSize;
        final int kernelSize;
        final int[] bounds;
        final int[] weights;

        private Coefficients(int outSize, int kernelSize, int[] bounds, int[] weights) {
            this.outSize = outSize;
            this.kernelSize = kernelSize;
            this.bounds = bounds;
            this.weights = weights;
        }

        static Coefficients of(int inSize, int outSize) {
            double scale = (double) inSize / outSize;
            double filterScale = Math.max(scale, 1.0);
            double support = 1.0 * filterScale;
            int kernelSize = (int) Math.ceil(support) * 2 + 1;
            int[] bounds = new int[outSize * 2];
            int[] weights = new int[outSize * kernelSize];
            double[] k = new double[kernelSize];
            for (int xx = 0; xx < outSize; xx++) {
                double center = (xx + 0.5) * scale;
                double inverse = 1.0 / filterScale;
                // Pillow rounds by truncating toward zero after adding ½
                int min = Math.max((int) (center - support + 0.5), 0);
                int max = Math.min((int) (center + support + 0.5), inSize) - min;
                double total = 0.0;
                for (int x = 0; x < max; x++) {
                    k[x] = triangle((x + min - center + 0.5) * inverse);
                    total += k[x];
                }
                for (int x = 0; x < kernelSize; x++) {
                    double w = x < max ? (total != 0.0 ? k[x] / total : k[x]) : 0.0;
                    weights[xx * kernelSize + x] =
                            (int) (w < 0 ? -0.5 + w * (1 << PRECISION_BITS) : 0.5 + w * (1 << PRECISION_BITS));
                }
                bounds[xx * 2] = min;
                bounds[xx * 2 + 1] = max;
            }
            return new Coefficients(outSize, kernelSize, bounds, weights);
        }

        void shift(int rows) {
            for (int i = 0; i < outSize; i++) {
                bounds[i * 2] -= rows;
            }
        }
    }
}
