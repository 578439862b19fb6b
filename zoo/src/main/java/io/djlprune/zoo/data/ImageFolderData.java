package io.djlprune.zoo.data;

import ai.djl.ndarray.types.Shape;
import io.djlprune.data.DataSplits;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An image-classification dataset on disk in torchvision's {@code ImageFolder} layout, as {@link DataSplits}:
 *
 * <pre>
 * DIR/train/&lt;class&gt;/…   training images (required)
 * DIR/val/&lt;class&gt;/…     validation images (optional: without it, a seeded share of train is held out)
 * DIR/test/&lt;class&gt;/…    test images (optional: without it, the splits have no test set)
 * </pre>
 *
 * <p>Class {@code i} is the {@code i}-th class folder name in sorted order, as in torchvision, and every split must
 * have the same class folders. Images are decoded when their batch is read ({@link ImageFolderDataset}); building
 * only lists the files and reads each image's header, so a file ImageIO cannot decode is refused, by name, before any
 * training starts. Transforms are {@link FolderImageTransform}'s, with torchvision's ImageNet normalisation by default.
 *
 * <pre>
 * DataSplits data = ImageFolderData.builder().setDirectory(Path.of("flowers")).optImageSize(224).optResize(256).build();
 * </pre>
 *
 * <p>DJL's own {@code ai.djl.basicdataset.cv.classification.ImageFolder} reads the same layout, one split at a time,
 * but resizes with the engine's interpolation, whose pixels differ from Pillow's antialiased resampling; this class
 * reproduces torchvision's pixels so weights trained in PyTorch score here what they score there.
 */
public final class ImageFolderData {

    /** torchvision's ImageNet channel means (R, G, B). */
    public static final float[] IMAGENET_MEAN = {0.485f, 0.456f, 0.406f};

    /** torchvision's ImageNet channel standard deviations (R, G, B). */
    public static final float[] IMAGENET_STD = {0.229f, 0.224f, 0.225f};

    /** The split folder names. */
    public static final String TRAIN = "train";

    /** The validation folder name. */
    public static final String VAL = "val";

    /** The test folder name. */
    public static final String TEST = "test";

    private static final Logger logger = LoggerFactory.getLogger(ImageFolderData.class);

    private ImageFolderData() {}

    /**
     * Creates a builder with the defaults: 224 × 224 images resized to 224 on the shorter side then centre-cropped,
     * ImageNet normalisation, no augmentation, 10 % of train held out when there is no {@code val/}, seed 42, batch
     * 128.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /** Configures the dataset; setters follow DJL's {@code set…}/{@code opt…} convention. */
    public static final class Builder {

        private Path directory;
        private int imageSize = 224;
        private Integer resize;
        private float[] mean = IMAGENET_MEAN;
        private float[] std = IMAGENET_STD;
        private boolean augment;
        private double validationFraction = 0.1;
        private long seed = 42;
        private int batchSize = 128;
        private int limit = Integer.MAX_VALUE;

        Builder() {}

        /**
         * Sets the folder holding {@code train/} (and optionally {@code val/}, {@code test/}).
         *
         * @param directory the folder
         * @return this builder
         */
        public Builder setDirectory(Path directory) {
            this.directory = directory;
            return this;
        }

        /**
         * Sets the side of the square images the network sees.
         *
         * @param imageSize the side in pixels, ≥ 1
         * @return this builder
         */
        public Builder optImageSize(int imageSize) {
            if (imageSize < 1) {
                throw new IllegalArgumentException("Image size must be ≥ 1, got " + imageSize);
            }
            this.imageSize = imageSize;
            return this;
        }

        /**
         * Sets the shorter side images are resized to before the centre crop (torchvision's ImageNet convention is
         * 256 for a 224 crop); by default the image size, so the crop only trims the longer side.
         *
         * @param resize the shorter side in pixels, ≥ the image size
         * @return this builder
         */
        public Builder optResize(int resize) {
            this.resize = resize;
            return this;
        }

        /**
         * Sets the normalisation.
         *
         * @param mean three channel means (R, G, B) of pixels in [0, 1]
         * @param std three positive channel standard deviations
         * @return this builder
         */
        public Builder optNormalization(float[] mean, float[] std) {
            if (mean.length != 3 || std.length != 3) {
                throw new IllegalArgumentException("mean and std need 3 values (R, G, B), got "
                        + Arrays.toString(mean) + " and " + Arrays.toString(std));
            }
            this.mean = mean.clone();
            this.std = std.clone();
            return this;
        }

        /**
         * Turns on the training augmentation (random resized crop and horizontal flip; training part only).
         *
         * @param augment whether to augment
         * @return this builder
         */
        public Builder optAugmentation(boolean augment) {
            this.augment = augment;
            return this;
        }

        /**
         * Sets the share of {@code train/} held out for validation when there is no {@code val/}.
         *
         * @param validationFraction in (0, 1)
         * @return this builder
         */
        public Builder optValidationFraction(double validationFraction) {
            if (!(validationFraction > 0 && validationFraction < 1)) {
                throw new IllegalArgumentException("Validation fraction must be in (0, 1), got " + validationFraction);
            }
            this.validationFraction = validationFraction;
            return this;
        }

        /**
         * Sets the seed of the held-out split and the limit's sample. Shuffling and augmentation draw from DJL's
         * generator, which the engine's seed ({@code Engine.setRandomSeed}) sets.
         *
         * @param seed the seed
         * @return this builder
         */
        public Builder optSeed(long seed) {
            this.seed = seed;
            return this;
        }

        /**
         * Sets the batch size of all parts.
         *
         * @param batchSize ≥ 1
         * @return this builder
         */
        public Builder optBatchSize(int batchSize) {
            if (batchSize < 1) {
                throw new IllegalArgumentException("Batch size must be ≥ 1, got " + batchSize);
            }
            this.batchSize = batchSize;
            return this;
        }

        /**
         * Limits each part to a seeded random sample of {@code limit} images, for quick runs.
         *
         * @param limit ≥ 1
         * @return this builder
         */
        public Builder optLimit(int limit) {
            if (limit < 1) {
                throw new IllegalArgumentException("Limit must be ≥ 1, got " + limit);
            }
            this.limit = limit;
            return this;
        }

        /**
         * Lists and checks the folders and builds the splits; no image is decoded yet.
         *
         * @return the splits, with the class names; without {@code test/}, {@link DataSplits#test()} is null
         * @throws DataUnavailableException if a folder is missing or empty, a class folder holds no image, the splits'
         *     classes differ, or an image's header cannot be read; the message names the path
         */
        public DataSplits build() throws DataUnavailableException {
            if (directory == null) {
                throw new IllegalStateException("setDirectory is required");
            }
            int resizeTo = resize != null ? resize : imageSize;
            if (resizeTo < imageSize) {
                throw new IllegalArgumentException(
                        "Resize " + resizeTo + " is smaller than the image size " + imageSize + "; it must be ≥.");
            }
            if (!Files.isDirectory(directory.resolve(TRAIN))) {
                throw new DataUnavailableException("Image folder " + directory + " has no " + TRAIN + "/ folder. Lay"
                        + " it out as " + directory.resolve(TRAIN).resolve("<class>").resolve("<image>")
                        + " (and optionally " + VAL + "/ and " + TEST + "/ alike); docs/DATA.md describes it.");
            }
            long start = System.nanoTime();
            ClassFolders train = ClassFolders.scan(directory.resolve(TRAIN));
            ClassFolders val = optional(VAL, train);
            ClassFolders test = optional(TEST, train);
            for (ClassFolders split : new ClassFolders[] {train, val, test}) {
                if (split != null) {
                    for (Path file : split.files()) {
                        RgbImage.checkHeader(file);
                    }
                }
            }
            FolderImageTransform eval = FolderImageTransform.evaluation(imageSize, resizeTo, mean, std);
            FolderImageTransform fit =
                    augment ? FolderImageTransform.augmenting(imageSize, mean, std) : eval;
            int[] trainPart;
            int[] valPart;
            if (val == null) {
                int held = Math.max(1, (int) Math.round(train.size() * validationFraction));
                if (held >= train.size()) {
                    throw new DataUnavailableException("Image folder " + train.folder() + " holds " + train.size()
                            + " images, too few to hold out a validation share; add images or a " + VAL + "/ folder.");
                }
                SplitIndices split = SplitIndices.of(train.size(), held, seed);
                trainPart = split.train();
                valPart = split.validation();
            } else {
                trainPart = shuffled(train.size(), seed);
                valPart = all(val.size());
            }
            ImageFolderDataset trainSet = dataset(train, trainPart, fit, true);
            ImageFolderDataset valSet = dataset(val != null ? val : train, valPart, eval, false);
            ImageFolderDataset testSet = test == null ? null : dataset(test, all(test.size()), eval, false);
            logger.info("Image folder {}: {} classes, {} train / {} validation ({}) / {} images, {}×{} (resize {}),"
                            + " listed and checked in {} ms",
                    directory, train.classNames().size(), trainSet.size(), valSet.size(),
                    val != null ? VAL + "/" : "held out of " + TRAIN + "/",
                    testSet == null ? "no test" : testSet.size() + " test", imageSize, imageSize, resizeTo,
                    (System.nanoTime() - start) / 1_000_000);
            return new DataSplits(trainSet, valSet, testSet, new Shape(3, imageSize, imageSize),
                    train.classNames().size(), train.classNames());
        }

        private ClassFolders optional(String name, ClassFolders train) throws DataUnavailableException {
            Path folder = directory.resolve(name);
            if (!Files.exists(folder)) {
                return null;
            }
            ClassFolders split = ClassFolders.scan(folder);
            if (!split.classNames().equals(train.classNames())) {
                TreeSet<String> missing = new TreeSet<>(train.classNames());
                missing.removeAll(split.classNames());
                TreeSet<String> extra = new TreeSet<>(split.classNames());
                extra.removeAll(train.classNames());
                throw new DataUnavailableException("Image folder " + folder + " has other classes than "
                        + train.folder() + ": missing " + missing + ", extra " + extra + ". Every split needs the same"
                        + " class folders, or class indices would differ between them.");
            }
            return split;
        }

        private ImageFolderDataset dataset(
                ClassFolders split, int[] indices, FolderImageTransform transform, boolean shuffle) {
            int count = Math.min(indices.length, limit);
            if (count < indices.length) {
                // a seeded random sample, so a limited run still sees every class
                int[] order = shuffled(indices.length, seed + 1);
                int[] picked = new int[count];
                for (int i = 0; i < count; i++) {
                    picked[i] = indices[order[i]];
                }
                Arrays.sort(picked);
                indices = picked;
            }
            List<Path> files = new ArrayList<>(count);
            int[] labels = new int[count];
            for (int i = 0; i < count; i++) {
                files.add(split.files().get(indices[i]));
                labels[i] = split.labels()[indices[i]];
            }
            return ImageFolderDataset.builder()
                    .setSamples(files, labels)
                    .setTransform(transform)
                    .setSampling(batchSize, shuffle)
                    .build();
        }

        private static int[] all(int n) {
            int[] indices = new int[n];
            for (int i = 0; i < n; i++) {
                indices[i] = i;
            }
            return indices;
        }

        private static int[] shuffled(int n, long seed) {
            int[] order = all(n);
            Random random = new Random(seed);
            for (int i = n - 1; i > 0; i--) {
                int j = random.nextInt(i + 1);
                int swap = order[i];
                order[i] = order[j];
                order[j] = swap;
            }
            return order;
        }
    }
}
