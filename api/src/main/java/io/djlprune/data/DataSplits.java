package io.djlprune.data;

import ai.djl.ndarray.types.Shape;
import ai.djl.training.dataset.RandomAccessDataset;
import java.util.List;
import java.util.Objects;

/**
 * The three disjoint parts of an image-classification dataset a pruning run needs: training data, a validation set
 * held out of the training files (for model selection), and the test set (used once, at the end). A dataset may come
 * without a test set (an image folder without {@code test/}); {@link #test()} is then null and {@link #hasTest()}
 * false, and whoever reports a test accuracy must report it as absent rather than measure another split.
 *
 * @param train the training part
 * @param validation the held-out part of the training files
 * @param test the test files, or null when the dataset has none
 * @param sampleShape the shape of one input sample, channels first (for example {@code (1, 28, 28)})
 * @param classes the number of classes
 * @param classNames the name of each class by label index, or an empty list when the dataset does not name them
 */
public record DataSplits(
        RandomAccessDataset train,
        RandomAccessDataset validation,
        RandomAccessDataset test,
        Shape sampleShape,
        int classes,
        List<String> classNames) {

    /**
     * Checks the parts and copies the class names.
     *
     * @param train the training part
     * @param validation the held-out part of the training files
     * @param test the test files, or null when the dataset has none
     * @param sampleShape the shape of one input sample, channels first
     * @param classes the number of classes
     * @param classNames the name of each class by label index, or an empty list
     */
    public DataSplits {
        Objects.requireNonNull(train, "train");
        Objects.requireNonNull(validation, "validation");
        Objects.requireNonNull(sampleShape, "sampleShape");
        classNames = List.copyOf(classNames);
        if (!classNames.isEmpty() && classNames.size() != classes) {
            throw new IllegalArgumentException(
                    classNames.size() + " class names for " + classes + " classes: " + classNames);
        }
    }

    /**
     * Creates splits whose classes are not named, with a test set.
     *
     * @param train the training part
     * @param validation the held-out part of the training files
     * @param test the test files
     * @param sampleShape the shape of one input sample, channels first (for example {@code (1, 28, 28)})
     * @param classes the number of classes
     */
    public DataSplits(
            RandomAccessDataset train,
            RandomAccessDataset validation,
            RandomAccessDataset test,
            Shape sampleShape,
            int classes) {
        this(train, validation, Objects.requireNonNull(test, "test"), sampleShape, classes, List.of());
    }

    /**
     * Returns whether the dataset has a test set.
     *
     * @return false when {@link #test()} is null
     */
    public boolean hasTest() {
        return test != null;
    }

    /**
     * Returns the input shape for a batch of {@code batchSize} samples, as {@code Block.initialize} wants it.
     *
     * @param batchSize the batch size
     * @return the shape {@code (batchSize, C, H, W)}
     */
    public Shape batchShape(long batchSize) {
        return new Shape(batchSize).addAll(sampleShape);
    }
}
