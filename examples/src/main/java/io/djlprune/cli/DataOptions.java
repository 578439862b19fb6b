package io.djlprune.cli;

import ai.djl.ndarray.NDManager;
import io.djlprune.data.DataSplits;
import io.djlprune.zoo.data.DataUnavailableException;
import io.djlprune.zoo.data.FashionMnist;
import java.nio.file.Path;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
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
     * Checks the values; picocli cannot express the ranges.
     *
     * @param spec the command, for usage errors
     * @throws CommandLine.ParameterException naming the bad option
     */
    void check(CommandSpec spec) {
        if (batchSize < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--batch-size must be ≥ 1, got " + batchSize);
        }
        if (limit != null && limit < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--limit must be ≥ 1, got " + limit);
        }
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
     * @param manager the owner of the arrays
     * @param batch the batch size
     * @return the data
     * @throws DataUnavailableException if the files are missing or corrupt
     */
    DataSplits load(NDManager manager, int batch) throws DataUnavailableException {
        FashionMnist.Builder builder =
                FashionMnist.builder()
                        .optDirectory(dataDir)
                        .optBatchSize(batch)
                        .optSeed(seed)
                        .optAugmentation(augment);
        if (limit != null) {
            builder.optLimit(limit);
        }
        return builder.build(manager);
    }
}
