package io.djlprune.cli;

import ai.djl.ndarray.NDManager;
import io.djlprune.data.DataSplits;
import io.djlprune.zoo.data.DataUnavailableException;
import io.djlprune.zoo.data.FashionMnist;
import io.djlprune.zoo.data.ImageFolderData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/**
 * The data options every training command shares: which dataset and where, image size and normalisation of an image
 * folder, batch size, seed, augmentation, limit. They map onto {@link FashionMnist} or {@link ImageFolderData}.
 */
final class DataOptions {

    /** The image size of an image folder when --image-size is not given. */
    static final int DEFAULT_IMAGE_SIZE = 224;

    @Option(
            names = "--dataset",
            paramLabel = "NAME",
            converter = OptionConverters.Dataset.class,
            description = "fashion-mnist (the four IDX files in --data-dir) or imagefolder (--data-dir/train/<class>/…,"
                    + " optional val/ and test/; docs/DATA.md) (default: ${DEFAULT-VALUE}).")
    DatasetChoice dataset = DatasetChoice.FASHION_MNIST;

    @Option(
            names = "--data-dir",
            paramLabel = "DIR",
            description = "fashion-mnist: folder with the four gzipped IDX files (default: "
                    + "/usr/share/datasets/fashion-mnist); imagefolder: the folder holding train/ (required).")
    Path dataDir;

    @Option(
            names = "--image-size",
            paramLabel = "N",
            description = "imagefolder: side of the square images the model sees (default: 224).")
    Integer imageSize;

    @Option(
            names = "--resize",
            paramLabel = "N",
            description = "imagefolder: shorter side images are resized to before the centre N×N crop; torchvision's"
                    + " ImageNet convention is --resize 256 --image-size 224 (default: the image size).")
    Integer resize;

    @Option(
            names = "--mean",
            paramLabel = "R,G,B",
            converter = OptionConverters.Triple.class,
            description = "imagefolder: channel means of pixels in [0, 1] (default: torchvision's ImageNet"
                    + " 0.485,0.456,0.406).")
    List<Float> mean;

    @Option(
            names = "--std",
            paramLabel = "R,G,B",
            converter = OptionConverters.Triple.class,
            description = "imagefolder: channel standard deviations (default: torchvision's ImageNet"
                    + " 0.229,0.224,0.225).")
    List<Float> std;

    @Option(
            names = "--batch-size",
            paramLabel = "N",
            description = "Mini-batch size (default: ${DEFAULT-VALUE}).")
    int batchSize = 128;

    @Option(names = "--seed", description = "Seed for the split, initialisation and shuffling (default: ${DEFAULT-VALUE}).")
    long seed = 42;

    @Option(
            names = "--augment",
            description = "Augment training images: fashion-mnist random shifts (≤ 2 px) and horizontal flips;"
                    + " imagefolder random resized crops and horizontal flips.")
    boolean augment;

    @Option(
            names = "--limit",
            paramLabel = "N",
            description = "Use at most N images of each split, for a quick try (default: all).")
    Integer limit;

    /**
     * Checks the values; picocli cannot express the ranges.
     *
     * @param spec the command, for usage errors
     * @throws CommandLine.ParameterException naming the bad option
     */
    void check(CommandSpec spec) {
        if (batchSize < 1) {
            throw usage(spec, "--batch-size must be ≥ 1, got " + batchSize);
        }
        if (limit != null && limit < 1) {
            throw usage(spec, "--limit must be ≥ 1, got " + limit);
        }
        if (dataset == DatasetChoice.FASHION_MNIST) {
            if (imageSize != null || resize != null || mean != null || std != null) {
                throw usage(spec, "--image-size, --resize, --mean and --std are options of --dataset imagefolder;"
                        + " Fashion-MNIST is 28×28 grey, normalised with its own mean and std");
            }
            return;
        }
        if (dataDir == null) {
            throw usage(spec, "--dataset imagefolder needs --data-dir DIR, the folder holding train/<class>/…");
        }
        if (imageSize() < 32) {
            throw usage(spec, "--image-size must be ≥ 32 (the models' stems downsample 32×), got " + imageSize());
        }
        if (resize != null && resize < imageSize()) {
            throw usage(spec, "--resize must be ≥ --image-size (" + imageSize() + "), got " + resize);
        }
        if (std != null && std.stream().anyMatch(s -> !(s > 0))) {
            throw usage(spec, "--std must be 3 positive numbers, got " + std);
        }
    }

    /**
     * Refuses an image folder without {@code test/}, for commands whose result is a test accuracy.
     *
     * @param spec the command
     * @throws CommandLine.ParameterException if the folder has no {@code test/}
     */
    void requireTest(CommandSpec spec) {
        if (dataset == DatasetChoice.IMAGEFOLDER && !Files.isDirectory(dataDir.resolve(ImageFolderData.TEST))) {
            throw usage(spec, "'" + spec.name() + "' reports test accuracy, and " + dataDir + " has no "
                    + ImageFolderData.TEST + "/ folder; add " + dataDir.resolve(ImageFolderData.TEST)
                    + "/<class>/… (validation images are not reused as a test set)");
        }
    }

    /**
     * Returns the side of an image folder's images.
     *
     * @return --image-size or its default
     */
    int imageSize() {
        return imageSize != null ? imageSize : DEFAULT_IMAGE_SIZE;
    }

    /**
     * Names the data for reports: {@code fashion-mnist} or {@code imagefolder:DIR}.
     *
     * @return the name
     */
    String describe() {
        return dataset == DatasetChoice.FASHION_MNIST ? dataset.toString() : dataset + ":" + dataDir;
    }

    /**
     * Loads the splits at --batch-size.
     *
     * @param manager the owner of the arrays
     * @return the data
     * @throws DataUnavailableException if the files are missing or corrupt
     */
    DataSplits load(NDManager manager) throws DataUnavailableException {
        return load(manager, batchSize);
    }

    /**
     * Loads the splits at a batch size of the run's (a recipe's may differ from --batch-size).
     *
     * @param manager the owner of Fashion-MNIST's arrays (an image folder decodes into each batch's manager)
     * @param batch the batch size
     * @return the data
     * @throws DataUnavailableException if the files are missing or corrupt
     */
    DataSplits load(NDManager manager, int batch) throws DataUnavailableException {
        if (dataset == DatasetChoice.IMAGEFOLDER) {
            ImageFolderData.Builder builder =
                    ImageFolderData.builder()
                            .setDirectory(dataDir)
                            .optImageSize(imageSize())
                            .optBatchSize(batch)
                            .optSeed(seed)
                            .optAugmentation(augment)
                            .optNormalization(
                                    floats(mean, ImageFolderData.IMAGENET_MEAN), floats(std, ImageFolderData.IMAGENET_STD));
            if (resize != null) {
                builder.optResize(resize);
            }
            if (limit != null) {
                builder.optLimit(limit);
            }
            return builder.build();
        }
        FashionMnist.Builder builder =
                FashionMnist.builder()
                        .optDirectory(dataDir != null ? dataDir : FashionMnist.DEFAULT_DIRECTORY)
                        .optBatchSize(batch)
                        .optSeed(seed)
                        .optAugmentation(augment);
        if (limit != null) {
            builder.optLimit(limit);
        }
        return builder.build(manager);
    }

    private static float[] floats(List<Float> values, float[] otherwise) {
        if (values == null) {
            return otherwise;
        }
        float[] out = new float[values.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = values.get(i);
        }
        return out;
    }

    private static CommandLine.ParameterException usage(CommandSpec spec, String message) {
        return new CommandLine.ParameterException(spec.commandLine(), message);
    }
}
