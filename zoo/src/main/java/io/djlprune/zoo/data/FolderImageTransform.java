package io.djlprune.zoo.data;

import java.util.Arrays;
import ai.djl.util.RandomUtils;
import java.util.Random;

/**
 * The image transforms of an {@link ImageFolderData} dataset, each the torchvision transform of the same name on a PIL
 * image, so a model sees here the tensor it sees in PyTorch:
 *
 * <ul>
 *   <li>evaluation (validation, test, and training without augmentation): {@code Resize(resize)} (the shorter side to
 *       {@code resize}, the longer in proportion), {@code CenterCrop(size)}, {@code ToTensor()},
 *       {@code Normalize(mean, std)};
 *   <li>training with augmentation: {@code RandomResizedCrop(size)} (scale 0.08–1, aspect ratio 3/4–4/3),
 *       {@code RandomHorizontalFlip()}, {@code ToTensor()}, {@code Normalize(mean, std)}, drawing from DJL's or a seeded
 *       generator.
 * </ul>
 *
 * <p>Resizing is {@link PillowBilinear}, Pillow's own bilinear resampling, byte for byte.
 */
public final class FolderImageTransform {

    private static final double MIN_SCALE = 0.08;
    private static final double MAX_SCALE = 1.0;
    private static final double MIN_RATIO = 3.0 / 4.0;
    private static final double MAX_RATIO = 4.0 / 3.0;

    private final int size;
    private final int resize;
    private final float[] mean;
    private final float[] std;
    private final Random random;

    private FolderImageTransform(int size, int resize, float[] mean, float[] std, Random random) {
        if (size < 1 || resize < size) {
            throw new IllegalArgumentException(
                    "Image size must be ≥ 1 and the resize ≥ the image size, got size " + size + ", resize " + resize);
        }
        if (mean.length != 3 || std.length != 3) {
            throw new IllegalArgumentException("mean and std need 3 values (R, G, B), got " + Arrays.toString(mean)
                    + " and " + Arrays.toString(std));
        }
        for (float s : std) {
            if (!(s > 0)) {
                throw new IllegalArgumentException("std must be positive, got " + Arrays.toString(std));
            }
        }
        this.size = size;
        this.resize = resize;
        this.mean = mean.clone();
        this.std = std.clone();
        this.random = random;
    }

    /**
     * The evaluation transform: resize the shorter side to {@code resize}, crop the centre {@code size × size}.
     *
     * @param size the side of the square the model sees
     * @param resize the shorter side before the crop, ≥ size
     * @param mean the channel means
     * @param std the channel standard deviations
     * @return the transform
     */
    public static FolderImageTransform evaluation(int size, int resize, float[] mean, float[] std) {
        return new FolderImageTransform(size, resize, mean, std, null);
    }

    /**
     * The augmenting training transform drawing from DJL's shared generator ({@link RandomUtils#RANDOM}), which {@code
     * Engine.setRandomSeed} reseeds: a run whose checkpoint reseeds the engine at every epoch's start draws the same
     * crops and flips in an epoch whether it went through or was resumed there.
     *
     * @param size the side of the square the model sees
     * @param mean the channel means
     * @param std the channel standard deviations
     * @return the transform
     */
    public static FolderImageTransform augmenting(int size, float[] mean, float[] std) {
        return new FolderImageTransform(size, size, mean, std, RandomUtils.RANDOM);
    }

    /**
     * The augmenting training transform with its own generator: a random resized crop to {@code size × size} and a random horizontal flip.
     *
     * @param size the side of the square the model sees
     * @param mean the channel means
     * @param std the channel standard deviations
     * @param seed the seed of the random draws
     * @return the transform
     */
    public static FolderImageTransform augmenting(int size, float[] mean, float[] std, long seed) {
        return new FolderImageTransform(size, size, mean, std, new Random(seed));
    }

    /**
     * Returns the side of the square image this transform produces.
     *
     * @return the size
     */
    public int size() {
        return size;
    }

    /**
     * Transforms one image into the network's input.
     *
     * @param image the decoded image
     * @return {@code 3 × size × size} normalised values, channels first
     */
    public float[] apply(RgbImage image) {
        RgbImage square;
        if (random == null) {
            square = centerCrop(resizeShorterSide(image, resize), size);
        } else {
            synchronized (random) {
                square = randomResizedCrop(image);
                if (random.nextDouble() < 0.5) {
                    square = square.flipHorizontal();
                }
            }
        }
        return square.toNormalizedChw(mean, std);
    }

    /** torchvision's {@code Resize(int)}: the shorter side to {@code target}, the longer truncated in proportion. */
    static RgbImage resizeShorterSide(RgbImage image, int target) {
        int w = image.width();
        int h = image.height();
        if (w <= h) {
            return PillowBilinear.resize(image, target, (int) ((double) ((long) target * h) / w));
        }
        return PillowBilinear.resize(image, (int) ((double) ((long) target * w) / h), target);
    }

    /** torchvision's {@code CenterCrop}: offsets rounded half to even, as Python's {@code round}. */
    static RgbImage centerCrop(RgbImage image, int side) {
        int top = (int) Math.rint((image.height() - side) / 2.0);
        int left = (int) Math.rint((image.width() - side) / 2.0);
        return image.crop(top, left, side, side);
    }

    /** torchvision's {@code RandomResizedCrop.get_params}, then the crop resized to {@code size × size}. */
    private RgbImage randomResizedCrop(RgbImage image) {
        int width = image.width();
        int height = image.height();
        double area = (double) width * height;
        for (int attempt = 0; attempt < 10; attempt++) {
            double targetArea = area * (MIN_SCALE + random.nextDouble() * (MAX_SCALE - MIN_SCALE));
            double logRatio = Math.log(MIN_RATIO) + random.nextDouble() * (Math.log(MAX_RATIO) - Math.log(MIN_RATIO));
            double ratio = Math.exp(logRatio);
            int w = (int) Math.rint(Math.sqrt(targetArea * ratio));
            int h = (int) Math.rint(Math.sqrt(targetArea / ratio));
            if (w > 0 && w <= width && h > 0 && h <= height) {
                int top = random.nextInt(height - h + 1);
                int left = random.nextInt(width - w + 1);
                return PillowBilinear.resize(image.crop(top, left, h, w), size, size);
            }
        }
        // the fallback: the largest centred crop of an allowed aspect ratio
        double inRatio = (double) width / height;
        int w;
        int h;
        if (inRatio < MIN_RATIO) {
            w = width;
            h = (int) Math.rint(w / MIN_RATIO);
        } else if (inRatio > MAX_RATIO) {
            h = height;
            w = (int) Math.rint(h * MAX_RATIO);
        } else {
            w = width;
            h = height;
        }
        return PillowBilinear.resize(image.crop((height - h) / 2, (width - w) / 2, h, w), size, size);
    }
}
