package io.djlprune.zoo.data;

import ai.djl.modality.cv.transform.ToTensor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.dataset.ArrayDataset;
import ai.djl.translate.Pipeline;
import io.djlprune.data.DataSplits;
import java.nio.file.Path;

/**
 * Fashion-MNIST read from a local directory holding the four original gzipped IDX files, split into 54k training,
 * 6k validation (fixed by a seed) and the 10k test images.
 *
 * <p>DJL's own {@code ai.djl.basicdataset.cv.classification.FashionMnist} fetches its files through a DJL repository
 * (a download, or a repository folder with DJL metadata); the Debian package {@code dataset-fashion-mnist} installs
 * the bare files instead, so this class reads them and hands DJL {@link ArrayDataset}s with DJL {@code Transform}s:
 * {@link ToTensor}, optional {@link RandomShiftFlip} (training only), {@link ChannelNormalize}.
 *
 * <pre>
 * DataSplits data = FashionMnist.builder().optBatchSize(128).build(manager);
 * EasyTrain.fit(trainer, 5, data.train(), data.validation());
 * </pre>
 */
public final class FashionMnist {

    /** Where the Debian package {@code dataset-fashion-mnist} installs the files. */
    public static final Path DEFAULT_DIRECTORY = Path.of("/usr/share/datasets/fashion-mnist");

    /** The four file names, as the original distribution and the Debian package name them. */
    public static final String TRAIN_IMAGES = "train-images-idx3-ubyte.gz";

    /** Training labels file name. */
    public static final String TRAIN_LABELS = "train-labels-idx1-ubyte.gz";

    /** Test images file name. */
    public static final String TEST_IMAGES = "t10k-images-idx3-ubyte.gz";

    /** Test labels file name. */
    public static final String TEST_LABELS = "t10k-labels-idx1-ubyte.gz";

    /** Mean and standard deviation of the training pixels in [0, 1]. */
    public static final float MEAN = 0.2860f;

    /** Standard deviation of the training pixels in [0, 1]. */
    public static final float STD = 0.3530f;

    /** Image side length. */
    public static final int SIDE = 28;

    /** Number of classes. */
    public static final int CLASSES = 10;

    private FashionMnist() {}

    /**
     * Creates a builder with the defaults: the Debian package's directory, seed 42, 6,000 validation images, batch 128,
     * no augmentation.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    private static String remedy(Path directory) {
        return "Install the Debian package dataset-fashion-mnist (sudo apt-get install dataset-fashion-mnist), which puts"
                + " the original files in "
                + DEFAULT_DIRECTORY
                + ", or point --data-dir at a folder holding "
                + TRAIN_IMAGES
                + ", "
                + TRAIN_LABELS
                + ", "
                + TEST_IMAGES
                + " and "
                + TEST_LABELS
                + " (now: "
                + directory
                + ").";
    }

    /** Builds the three splits of Fashion-MNIST; every setter follows DJL's {@code opt…} convention. */
    public static final class Builder {

        private Path directory = DEFAULT_DIRECTORY;
        private long seed = 42;
        private int validationSize = 6000;
        private int batchSize = 128;
        private boolean augment;
        private int limit = Integer.MAX_VALUE;

        Builder() {}

        /**
         * Sets the folder holding the four gzipped IDX files.
         *
         * @param directory the folder
         * @return this builder
         */
        public Builder optDirectory(Path directory) {
            this.directory = directory;
            return this;
        }

        /**
         * Sets the seed of the train/validation split. Shuffling and augmentation draw from DJL's generator, which the
         * engine's seed ({@code Engine.setRandomSeed}) sets.
         *
         * @param seed the seed
         * @return this builder
         */
        public Builder optSeed(long seed) {
            this.seed = seed;
            return this;
        }

        /**
         * Sets how many training images are held out for validation (default 6,000 of 60,000).
         *
         * @param validationSize the number held out
         * @return this builder
         */
        public Builder optValidationSize(int validationSize) {
            this.validationSize = validationSize;
            return this;
        }

        /**
         * Sets the batch size of all three datasets.
         *
         * @param batchSize the batch size, ≥ 1
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
         * Turns on {@link RandomShiftFlip} (shift ≤ 2 pixels, horizontal flip) for the training part.
         *
         * @param augment whether to augment
         * @return this builder
         */
        public Builder optAugmentation(boolean augment) {
            this.augment = augment;
            return this;
        }

        /**
         * Limits each part to its first {@code limit} samples, for quick runs; the split itself is unchanged.
         *
         * @param limit the largest number of samples per part, ≥ 1
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
         * Reads the files, checks them, and builds the splits. The arrays belong to {@code manager}.
         *
         * @param manager the manager that owns the dataset arrays (closing it frees them)
         * @return the training, validation and test datasets
         * @throws DataUnavailableException if a file is missing or corrupt, naming the file and the remedy
         */
        public DataSplits build(NDManager manager) throws DataUnavailableException {
            String remedy = remedy(directory);
            IdxFile trainImages = IdxFile.read(directory.resolve(TRAIN_IMAGES), 3, remedy);
            IdxFile trainLabels = IdxFile.read(directory.resolve(TRAIN_LABELS), 1, remedy);
            IdxFile testImages = IdxFile.read(directory.resolve(TEST_IMAGES), 3, remedy);
            IdxFile testLabels = IdxFile.read(directory.resolve(TEST_LABELS), 1, remedy);
            checkPair(trainImages, trainLabels, TRAIN_IMAGES, TRAIN_LABELS, remedy);
            checkPair(testImages, testLabels, TEST_IMAGES, TEST_LABELS, remedy);

            SplitIndices split = SplitIndices.of(trainImages.count(), validationSize, seed);
            Pipeline evalPipeline = new Pipeline(new ToTensor(), new ChannelNormalize(new float[] {MEAN}, new float[] {STD}));
            Pipeline trainPipeline = new Pipeline(new ToTensor());
            if (augment) {
                // DJL's generator: the engine's per-epoch reseed then repeats an epoch's draws after a resume
                trainPipeline.add(new RandomShiftFlip(2));
            }
            trainPipeline.add(new ChannelNormalize(new float[] {MEAN}, new float[] {STD}));

            ArrayDataset train = dataset(manager, trainImages, trainLabels, split.train(), trainPipeline, true);
            ArrayDataset validation =
                    dataset(manager, trainImages, trainLabels, split.validation(), evalPipeline, false);
            int[] all = new int[testImages.count()];
            for (int i = 0; i < all.length; i++) {
                all[i] = i;
            }
            ArrayDataset test = dataset(manager, testImages, testLabels, all, evalPipeline, false);
            return new DataSplits(train, validation, test, new Shape(1, SIDE, SIDE), CLASSES);
        }

        private static void checkPair(IdxFile images, IdxFile labels, String imageName, String labelName, String remedy)
                throws DataUnavailableException {
            if (images.dims()[1] != SIDE || images.dims()[2] != SIDE) {
                throw new DataUnavailableException(
                        imageName + " holds " + images.dims()[1] + "×" + images.dims()[2] + " images, not 28×28. "
                                + remedy);
            }
            if (images.count() != labels.count()) {
                throw new DataUnavailableException(
                        imageName + " holds " + images.count() + " images but " + labelName + " holds "
                                + labels.count() + " labels. " + remedy);
            }
            for (byte label : labels.data()) {
                if (label < 0 || label >= CLASSES) {
                    throw new DataUnavailableException(
                            labelName + " holds the label " + label + ", outside 0–9. " + remedy);
                }
            }
        }

        private ArrayDataset dataset(
                NDManager manager,
                IdxFile images,
                IdxFile labels,
                int[] indices,
                Pipeline pipeline,
                boolean shuffle) {
            int count = Math.min(indices.length, limit);
            int pixels = SIDE * SIDE;
            byte[] imageBytes = new byte[count * pixels];
            float[] labelValues = new float[count];
            for (int i = 0; i < count; i++) {
                System.arraycopy(images.data(), indices[i] * pixels, imageBytes, i * pixels, pixels);
                labelValues[i] = labels.data()[indices[i]];
            }
            // Stored as HWC bytes like a decoded image; ToTensor in the pipeline makes CHW floats in [0, 1].
            NDArray data = manager.create(new Shape(count, SIDE, SIDE, 1), DataType.UINT8);
            data.set(imageBytes);
            NDArray label = manager.create(labelValues);
            return new ArrayDataset.Builder()
                    .setData(data)
                    .optLabels(label)
                    .setSampling(batchSize, shuffle)
                    .optPipeline(pipeline)
                    .build();
        }
    }
}
