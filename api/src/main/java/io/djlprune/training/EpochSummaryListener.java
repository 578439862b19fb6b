package io.djlprune.training;

import ai.djl.ndarray.NDManager;
import ai.djl.training.Trainer;
import ai.djl.training.TrainingResult;
import ai.djl.training.listener.TrainingListenerAdapter;
import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonParseException;
import io.djlprune.checkpoint.Checkpointable;
import io.djlprune.memory.NativeMemory;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link ai.djl.training.listener.TrainingListener} that writes one log line per epoch (loss, training and
 * validation accuracy, seconds) and keeps the {@link EpochSummary} of every epoch for reports.
 *
 * <p>It reads the metrics that DJL's {@code EvaluatorTrainingListener} publishes, so it must be added after the default
 * listeners ({@link TrainingListeners#logging()} or DJL's {@code TrainingListener.Defaults.basic()}) in the training
 * config. A checkpoint saves its history, so a resumed run numbers its epochs on and reports each epoch once.
 */
public class EpochSummaryListener extends TrainingListenerAdapter implements Checkpointable {

    private static final Logger logger = LoggerFactory.getLogger(EpochSummaryListener.class);
    private static final Gson GSON = new GsonBuilder().serializeSpecialFloatingPointValues().create();

    private final int totalEpochs;
    private final String accuracyName;
    private final List<EpochSummary> epochs = new ArrayList<>();
    private long epochStartNanos;

    /**
     * Creates a listener for a run of the given length that reads the evaluator named {@code accuracyName}.
     *
     * @param totalEpochs the number of epochs planned (for the log prefix only)
     * @param accuracyName the name of the accuracy evaluator in the training config, usually "Accuracy"
     */
    public EpochSummaryListener(int totalEpochs, String accuracyName) {
        this.totalEpochs = totalEpochs;
        this.accuracyName = accuracyName;
    }

    /** {@inheritDoc} */
    @Override
    public void onTrainingBegin(Trainer trainer) {
        epochs.clear();
        epochStartNanos = System.nanoTime();
    }

    /** {@inheritDoc} */
    @Override
    public void onEpoch(Trainer trainer) {
        long now = System.nanoTime();
        TrainingResult result = trainer.getTrainingResult();
        EpochSummary summary =
                new EpochSummary(
                        epochs.size() + 1,
                        orNaN(result.getTrainLoss()),
                        orNaN(result.getTrainEvaluation(accuracyName)),
                        orNaN(result.getValidateEvaluation(accuracyName)),
                        (now - epochStartNanos) / 1e9,
                        NativeMemory.sample(trainer.getManager()));
        epochs.add(summary);
        epochStartNanos = now;
        logger.info(summary.toLine(totalEpochs));
    }

    /** {@inheritDoc} */
    @Override
    public String checkpointName() {
        return "epochs";
    }

    /** {@inheritDoc} */
    @Override
    public JsonElement saveState(Path folder) {
        return GSON.toJsonTree(epochs);
    }

    /** {@inheritDoc} */
    @Override
    public void restoreState(JsonElement state, Path folder, NDManager manager) throws IOException {
        try {
            List<EpochSummary> restored = new ArrayList<>();
            for (JsonElement epoch : state.getAsJsonArray()) {
                restored.add(GSON.fromJson(epoch, EpochSummary.class));
            }
            epochs.clear();
            epochs.addAll(restored);
        } catch (JsonParseException | IllegalStateException e) {
            throw new IOException("The epoch history in the checkpoint " + folder + " is corrupt: " + e.getMessage(), e);
        }
        epochStartNanos = System.nanoTime();
    }

    /**
     * Returns the summaries of the epochs completed so far, in order.
     *
     * @return an unmodifiable list
     */
    public List<EpochSummary> getEpochs() {
        return Collections.unmodifiableList(epochs);
    }

    private static float orNaN(Float value) {
        return value == null ? Float.NaN : value;
    }
}
