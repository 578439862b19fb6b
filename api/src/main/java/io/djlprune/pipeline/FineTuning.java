package io.djlprune.pipeline;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.nn.Block;
import ai.djl.training.listener.TrainingListener;
import ai.djl.training.loss.Loss;
import ai.djl.translate.TranslateException;
import io.djlprune.checkpoint.PhaseCheckpoint;
import io.djlprune.data.DataSplits;
import io.djlprune.training.ClassifierTraining;
import io.djlprune.training.EpochSummary;
import io.djlprune.training.OptimizerRecipe;
import java.io.IOException;
import java.util.List;

/**
 * How a compacted network is fine-tuned: SGD with momentum 0.9, weight decay 1e-3 and a cosine learning rate (the
 * ChipNet reference's fine-tuning recipe, with the epochs a user affords). Instances are immutable.
 *
 * @param epochs the epochs, 0 for none
 * @param learningRate the initial learning rate
 */
public record FineTuning(int epochs, float learningRate) {

    /** No fine-tuning. */
    public static final FineTuning NONE = new FineTuning(0, 0.01f);

    /** The reference's weight decay for fine-tuning. */
    static final float WEIGHT_DECAY = 1e-3f;

    /**
     * Checks the values.
     *
     * @param epochs ≥ 0
     * @param learningRate &gt; 0
     */
    public FineTuning {
        if (epochs < 0) {
            throw new IllegalArgumentException("Fine-tuning epochs must be ≥ 0, got " + epochs);
        }
        if (!(learningRate > 0) || !Float.isFinite(learningRate)) {
            throw new IllegalArgumentException("The fine-tuning learning rate must be positive, got " + learningRate);
        }
    }

    /**
     * Fine-tunes a compacted block in place.
     *
     * @param compact the compacted block, initialised
     * @param data the data
     * @param batchSize the batch size the data was built with
     * @param device the device
     * @param engineName the engine that holds the block's parameters
     * @param phase the checkpoint of the fine-tuning, or null for none
     * @param listeners more training listeners, e.g. {@code HeldZeros} to keep pruned weights at zero
     * @return one summary per epoch; empty for no epochs
     * @throws IOException if the data or the checkpoint cannot be read
     * @throws TranslateException if the data pipeline fails
     */
    public List<EpochSummary> fit(
            Block compact,
            DataSplits data,
            int batchSize,
            Device device,
            String engineName,
            PhaseCheckpoint phase,
            TrainingListener... listeners)
            throws IOException, TranslateException {
        if (epochs == 0) {
            return List.of();
        }
        OptimizerRecipe sgd =
                OptimizerRecipe.builder()
                        .optKind(OptimizerRecipe.Kind.SGD)
                        .optLearningRate(learningRate)
                        .optWeightDecay(WEIGHT_DECAY)
                        .build();
        try (Model model = Model.newInstance("compact", device, engineName)) {
            model.setBlock(compact);
            return ClassifierTraining.fit(
                    model, data, epochs, batchSize, sgd, device, Loss.softmaxCrossEntropyLoss(), phase, listeners);
        }
    }
}
