package io.djlprune.cli;

import io.djlprune.data.DataSplits;
import io.djlprune.training.EpochSummary;
import io.djlprune.zoo.data.ImageFolderData;
import java.util.List;

/**
 * The JSON report {@code djl-prune train} writes beside the model: enough to reload the model and to compare runs.
 *
 * @param model the catalog name of the model
 * @param dataset the dataset name
 * @param classes the number of classes
 * @param classNames the class names by index (an image folder's sorted folder names), empty when unnamed
 * @param weights the PyTorch state_dict training started from, or null
 * @param inputShape the shape of one sample, channels first
 * @param device the device it trained on
 * @param engine the DJL engine and its version
 * @param epochs the number of epochs
 * @param batchSize the batch size
 * @param optimizer the optimiser and schedule
 * @param seed the seed
 * @param augment whether training images were augmented
 * @param trainSamples the number of training samples
 * @param parameterCount the number of trainable scalars
 * @param history one summary per epoch
 * @param validationAccuracy the validation accuracy after the last epoch
 * @param testAccuracy the test accuracy after the last epoch, or null when the data has no test set
 * @param testSet which images {@code testAccuracy} was measured on, or why it is absent
 * @param wallTimeSeconds the time of the whole command
 * @param secondsPerEpoch the mean time of one epoch
 */
record TrainReport(
        String model,
        String dataset,
        int classes,
        List<String> classNames,
        String weights,
        long[] inputShape,
        String device,
        String engine,
        int epochs,
        int batchSize,
        String optimizer,
        long seed,
        boolean augment,
        long trainSamples,
        long parameterCount,
        List<EpochSummary> history,
        double validationAccuracy,
        Double testAccuracy,
        String testSet,
        double wallTimeSeconds,
        double secondsPerEpoch) {

    /**
     * Describes the test set of a run's data, or says it is absent.
     *
     * @param splits the data
     * @param data the data options
     * @return for example {@code flowers/test (120 images)} or {@code absent: flowers has no test/ folder}
     */
    static String testSet(DataSplits splits, DataOptions data) {
        if (!splits.hasTest()) {
            return "absent: " + data.dataDir + " has no " + ImageFolderData.TEST + "/ folder, so no test accuracy"
                    + " is reported (validation images are not reused as a test set)";
        }
        if (data.dataset == DatasetChoice.FASHION_MNIST) {
            return "fashion-mnist test files (" + splits.test().size() + " images)";
        }
        return data.dataDir.resolve(ImageFolderData.TEST) + " (" + splits.test().size() + " images)";
    }
}
