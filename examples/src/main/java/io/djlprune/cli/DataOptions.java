package io.djlprune.cli;

import ai.djl.ndarray.NDManager;
import io.djlprune.data.DataSplits;
import io.djlprune.zoo.data.DataUnavailableException;
import io.djlprune.zoo.data.FashionMnist;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The data options every training command shares: where Fashion-MNIST is, batch size, seed, augmentation. */
final class DataOptions {

    @Option(
            names = "--data-dir",
            paramLabel = "DIR",
            description = "Folder with the four gzipped Fashion-MNIST IDX files (default: ${DEFAULT-VALUE}).")
    Path dataDir = FashionMnist.DEFAULT_DIRECTORY;

    @Option(
            names = "--batch-size",
            paramLabel = "N",
            description = "Mini-batch size (default: ${DEFAULT-VALUE}).")
    int batchSize = 128;

    @Option(names = "--seed", description = "Seed for the split, initialisation and shuffling (default: ${DEFAULT-VALUE}).")
    long seed = 42;

    @Option(names = "--augment", description = "Random shifts (≤ 2 px) and horizontal flips of training images.")
    boolean augment;

    @Option(
            names = "--limit",
            paramLabel = "N",
            description = "Use at most N images of each split, for a quick try (default: all).")
    Integer limit;

    /**
     * Loads the splits.
     *
     * @param manager the owner of the arrays
     * @return the data
     * @throws DataUnavailableException if the files are missing or corrupt
     */
    DataSplits load(NDManager manager) throws DataUnavailableException {
        FashionMnist.Builder builder =
                FashionMnist.builder()
                        .optDirectory(dataDir)
                        .optBatchSize(batchSize)
                        .optSeed(seed)
                        .optAugmentation(augment);
        if (limit != null) {
            builder.optLimit(limit);
        }
        return builder.build(manager);
    }
}
