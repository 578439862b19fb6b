package io.djlprune.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.dataset.Batch;
import ai.djl.training.dataset.Dataset;
import ai.djl.translate.TranslateException;
import ai.djl.util.Pair;
import ai.djl.util.Progress;
import java.io.IOException;

/** Measures a classifier block outside a {@code Trainer}: top-1 accuracy over a dataset, parameter counts. */
public final class Evaluation {

    private Evaluation() {}

    /**
     * Computes the top-1 accuracy of {@code block} over every batch of {@code dataset}, in inference mode.
     *
     * <p>Each batch's arrays live in a child of {@code manager} that is closed after the batch, so a long evaluation
     * does not grow native memory.
     *
     * @param block an initialised classifier whose first output holds one score per class
     * @param dataset the dataset; its first label array holds class indices
     * @param manager the manager on the device the block's parameters live on
     * @return the fraction of correctly classified samples
     * @throws IOException if the dataset cannot be read
     * @throws TranslateException if the dataset's pipeline fails
     * @throws IllegalArgumentException if the dataset has no samples
     */
    public static double accuracy(Block block, Dataset dataset, NDManager manager)
            throws IOException, TranslateException {
        return accuracy(block, dataset, manager, null);
    }

    /**
     * Computes the top-1 accuracy like {@link #accuracy(Block, Dataset, NDManager)}, reporting progress per batch.
     *
     * @param block an initialised classifier
     * @param dataset the dataset
     * @param manager the manager on the block's device
     * @param progress where to report samples done (e.g. a {@link ConsoleProgress} sized to the dataset), or null
     * @return the fraction of correctly classified samples
     * @throws IOException if the dataset cannot be read
     * @throws TranslateException if the dataset's pipeline fails
     */
    public static double accuracy(Block block, Dataset dataset, NDManager manager, Progress progress)
            throws IOException, TranslateException {
        ParameterStore parameterStore = new ParameterStore(manager, false);
        long correct = 0;
        long total = 0;
        long reported = 0;
        for (Batch batch : dataset.getData(manager)) {
            try (NDManager scope = manager.newSubManager()) {
                batch.getData().attach(scope);
                batch.getLabels().attach(scope);
                NDList output = block.forward(parameterStore, batch.getData(), false);
                NDArray predicted = output.singletonOrThrow().argMax(1);
                NDArray labels = batch.getLabels().head().toType(predicted.getDataType(), false);
                correct += predicted.eq(labels.reshape(predicted.getShape())).countNonzero().getLong();
                total += predicted.size();
            } finally {
                batch.close();
            }
            if (progress != null) {
                progress.increment(total - reported);
                reported = total;
            }
        }
        if (progress != null) {
            progress.end();
        }
        if (total == 0) {
            throw new IllegalArgumentException("The dataset to evaluate on has no samples.");
        }
        return (double) correct / total;
    }

    /**
     * Counts the scalar values in every parameter of an initialised block (weights, biases, BatchNorm statistics
     * excluded when {@code trainableOnly}).
     *
     * @param block an initialised block
     * @param trainableOnly whether to count only parameters that receive gradients
     * @return the number of scalars
     * @throws IllegalStateException if the block has not been initialised
     */
    public static long parameterCount(Block block, boolean trainableOnly) {
        long count = 0;
        for (Pair<String, Parameter> pair : block.getParameters()) {
            Parameter parameter = pair.getValue();
            if (trainableOnly && !parameter.requiresGradient()) {
                continue;
            }
            if (!parameter.isInitialized()) {
                throw new IllegalStateException(
                        "Parameter " + pair.getKey() + " is not initialised; initialise the block first.");
            }
            count += parameter.getArray().size();
        }
        return count;
    }
}
