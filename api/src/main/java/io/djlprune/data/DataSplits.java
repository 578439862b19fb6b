package io.djlprune.data;

import ai.djl.ndarray.types.Shape;
import ai.djl.training.dataset.RandomAccessDataset;

/**
 * The three disjoint parts of an image-classification dataset a pruning run needs: training data, a validation set
 * held out of the training files (for model selection), and the test set (used once, at the end).
 *
 * @param train the training part
 * @param validation the held-out part of the training files
 * @param test the test files
 * @param sampleShape the shape of one input sample, channels first (for example {@code (1, 28, 28)})
 * @param classes the number of classes
 */
public record DataSplits(
        RandomAccessDataset train,
        RandomAccessDataset validation,
        RandomAccessDataset test,
        Shape sampleShape,
        int classes) {

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
