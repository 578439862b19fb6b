package io.djlprune.zoo.data;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Iterator;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * An 8-bit RGB image in memory, rows of interleaved red, green and blue bytes, as Pillow holds an image after
 * torchvision's loader converted it with {@code convert("RGB")}: grey images repeat their grey value in the three
 * channels (their raw samples, not a colour-managed conversion) and an alpha channel is dropped.
 *
 * @param width the width in pixels
 * @param height the height in pixels
 * @param pixels {@code height × width × 3} bytes, row by row
 */
public record RgbImage(int width, int height, byte[] pixels) {

    /**
     * Checks the size.
     *
     * @param width the width in pixels, ≥ 1
     * @param height the height in pixels, ≥ 1
     * @param pixels {@code height × width × 3} bytes
     */
    public RgbImage {
        if (width < 1 || height < 1 || pixels.length != (long) width * height * 3) {
            throw new IllegalArgumentException(
                    "An RGB image of " + width + "×" + height + " needs " + (long) width * height * 3 + " bytes, got "
                            + pixels.length);
        }
    }

    /**
     * Reads only the header of an image file, to check that Java's ImageIO can decode it, without decoding pixels.
     *
     * @param file the image file
     * @throws DataUnavailableException if the file cannot be opened, is not an image ImageIO reads, or its header is
     *     corrupt; the message names the file
     */
    public static void checkHeader(Path file) throws DataUnavailableException {
        try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
            if (in == null) {
                throw new DataUnavailableException("Image " + file + " cannot be opened.");
            }
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                throw new DataUnavailableException("Image " + file + " is corrupt or not in a format Java's ImageIO"
                        + " reads (PNG, JPEG, BMP, GIF, TIFF); replace or remove it.");
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                if (reader.getWidth(0) < 1 || reader.getHeight(0) < 1) {
                    throw new DataUnavailableException("Image " + file + " has no pixels; replace or remove it.");
                }
            } finally {
                reader.dispose();
            }
        } catch (DataUnavailableException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new DataUnavailableException(
                    "Image " + file + " is corrupt (" + e.getMessage() + "); replace or remove it.", e);
        }
    }

    /**
     * Decodes an image file.
     *
     * @param file the image file
     * @return its pixels as RGB
     * @throws DataUnavailableException if the file cannot be read or decoded; the message names the file
     */
    public static RgbImage read(Path file) throws DataUnavailableException {
        BufferedImage image;
        try {
            image = ImageIO.read(file.toFile());
        } catch (IOException | RuntimeException e) {
            throw new DataUnavailableException(
                    "Image " + file + " cannot be decoded (" + e.getMessage() + "); replace or remove it.", e);
        }
        if (image == null) {
            throw new DataUnavailableException("Image " + file + " is not in a format Java's ImageIO reads (PNG,"
                    + " JPEG, BMP, GIF, TIFF); replace or remove it.");
        }
        return of(image);
    }

    /**
     * Converts a decoded image to RGB, as Pillow's {@code convert("RGB")} does.
     *
     * @param image the image
     * @return its RGB pixels
     */
    public static RgbImage of(BufferedImage image) {
        int width = image.getWidth();
        int height = image.getHeight();
        byte[] rgb = new byte[width * height * 3];
        int[] row = new int[width];
        boolean grey = image.getColorModel().getColorSpace().getType() == ColorSpace.TYPE_GRAY
                && image.getRaster().getSampleModel().getSampleSize(0) == 8;
        Raster raster = image.getRaster();
        for (int y = 0; y < height; y++) {
            if (grey) {
                // the raw grey samples: getRGB would apply a colour-space conversion Pillow does not make
                raster.getSamples(0, y, width, 1, 0, row);
                for (int x = 0; x < width; x++) {
                    int at = (y * width + x) * 3;
                    rgb[at] = rgb[at + 1] = rgb[at + 2] = (byte) row[x];
                }
            } else {
                image.getRGB(0, y, width, 1, row, 0, width);
                for (int x = 0; x < width; x++) {
                    int at = (y * width + x) * 3;
                    rgb[at] = (byte) (row[x] >>> 16);
                    rgb[at + 1] = (byte) (row[x] >>> 8);
                    rgb[at + 2] = (byte) row[x];
                }
            }
        }
        return new RgbImage(width, height, rgb);
    }

    /**
     * Cuts out a rectangle that lies inside the image.
     *
     * @param top the first row
     * @param left the first column
     * @param cropHeight the rows to keep
     * @param cropWidth the columns to keep
     * @return the rectangle
     */
    public RgbImage crop(int top, int left, int cropHeight, int cropWidth) {
        if (top < 0 || left < 0 || cropHeight < 1 || cropWidth < 1 || top + cropHeight > height
                || left + cropWidth > width) {
            throw new IllegalArgumentException("Crop " + cropWidth + "×" + cropHeight + " at (" + left + ", " + top
                    + ") is outside the " + width + "×" + height + " image");
        }
        byte[] out = new byte[cropWidth * cropHeight * 3];
        for (int y = 0; y < cropHeight; y++) {
            System.arraycopy(pixels, ((top + y) * width + left) * 3, out, y * cropWidth * 3, cropWidth * 3);
        }
        return new RgbImage(cropWidth, cropHeight, out);
    }

    /**
     * Mirrors the image left to right.
     *
     * @return the mirrored image
     */
    public RgbImage flipHorizontal() {
        byte[] out = new byte[pixels.length];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                System.arraycopy(pixels, (y * width + x) * 3, out, (y * width + width - 1 - x) * 3, 3);
            }
        }
        return new RgbImage(width, height, out);
    }

    /**
     * Converts to floats, channels first, as torchvision's {@code ToTensor} then {@code Normalize(mean, std)} do in
     * float32: {@code (v / 255 − mean[c]) / std[c]}.
     *
     * @param mean the three channel means
     * @param std the three channel standard deviations
     * @return {@code 3 × height × width} values
     */
    public float[] toNormalizedChw(float[] mean, float[] std) {
        int plane = width * height;
        float[] out = new float[3 * plane];
        for (int c = 0; c < 3; c++) {
            for (int i = 0; i < plane; i++) {
                float v = (pixels[i * 3 + c] & 0xFF) / 255f;
                out[c * plane + i] = (v - mean[c]) / std[c];
            }
        }
        return out;
    }
}
