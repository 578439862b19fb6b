package io.djlprune.training;

import ai.djl.metric.Metrics;
import ai.djl.training.Trainer;
import ai.djl.training.evaluator.Evaluator;
import ai.djl.training.listener.EvaluatorTrainingListener;
import ai.djl.training.listener.LoggingTrainingListener;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * DJL's {@link LoggingTrainingListener} with its two progress bars (training and validation batches) drawn by
 * {@link ConsoleProgress}: a bar on a terminal as before, a line per few percent in a log that is not a terminal.
 *
 * <p>Everything else is DJL's own code, inherited unchanged: the "Training on", "Epoch N finished", "Train:",
 * "Validate:" and timing lines. The bar's status text (the first two evaluators' running values and the speed) is
 * DJL's too, rebuilt here because DJL keeps it private.
 */
public class ProgressLoggingListener extends LoggingTrainingListener {

    private static final int STATUS_EVALUATORS = 2;

    private final Pass training;
    private final Pass validation;

    /** Creates the listener, its progress shown where {@link ConsoleProgress.Mode#detect()} says. */
    public ProgressLoggingListener() {
        this(ConsoleProgress::new);
    }

    /**
     * Creates the listener with its progress made by {@code progress}, so a test can read it.
     *
     * @param progress makes the training progress, then the validation progress
     */
    ProgressLoggingListener(Supplier<ConsoleProgress> progress) {
        training = new Pass("Training", progress.get());
        validation = new Pass("Validating", progress.get());
    }

    /** {@inheritDoc} */
    @Override
    public void onEpoch(Trainer trainer) {
        super.onEpoch(trainer);
        // the next epoch is a new pass even where progress cannot show it by going back (a one-batch dataset)
        training.restart();
        validation.restart();
    }

    /** {@inheritDoc} */
    @Override
    public void onTrainingBatch(Trainer trainer, BatchData batchData) {
        training.advance(batchData, () -> status(trainer, batchData.getBatch().getSize()));
    }

    /** {@inheritDoc} */
    @Override
    public void onValidationBatch(Trainer trainer, BatchData batchData) {
        validation.advance(batchData, null);
    }

    /** One bar (training or validation): restarted when its dataset's size changes and at each epoch's end. */
    private static final class Pass {
        private final String label;
        private final ConsoleProgress progress;
        private long total = -1;

        Pass(String label, ConsoleProgress progress) {
            this.label = label;
            this.progress = progress;
        }

        void restart() {
            progress.reset(label, total);
        }

        /** Shows the batch done, with a status text when one is given and the bar shows anything. */
        void advance(BatchData batchData, Supplier<String> status) {
            long batchTotal = batchData.getBatch().getProgressTotal();
            if (batchTotal != total) {
                total = batchTotal;
                restart();
            }
            if (status == null) {
                progress.update(done(batchData));
            } else if (progress.getMode() != ConsoleProgress.Mode.OFF) {
                // the status reads the metrics: not worth it when nothing is shown
                progress.update(done(batchData), status.get());
            }
        }
    }

    /**
     * The batch's progress as {@link ConsoleProgress} counts it: DJL's batch progress is the number of samples done,
     * this batch's included, while a {@code Progress} is told the last unit done, counted from 0.
     */
    private static long done(BatchData batchData) {
        return batchData.getBatch().getProgress() - 1;
    }

    /** The running training metrics and speed, as DJL's listener shows them beside its bar. */
    private static String status(Trainer trainer, int batchSize) {
        Metrics metrics = trainer.getMetrics();
        if (metrics == null) {
            return "";
        }
        List<String> parts = new ArrayList<>();
        int count = 0;
        for (Evaluator evaluator : trainer.getEvaluators()) {
            if (++count > STATUS_EVALUATORS) {
                parts.add("...");
                break;
            }
            String name = EvaluatorTrainingListener.metricName(evaluator, EvaluatorTrainingListener.TRAIN_PROGRESS);
            if (metrics.hasMetric(name)) {
                float value = metrics.latestMetric(name).getValue().floatValue();
                String format = Math.abs(value) < .01 || Math.abs(value) > 9999 ? "%s: %.2E" : "%s: %.2f";
                parts.add(String.format(format, evaluator.getName(), value));
            } else {
                parts.add(evaluator.getName() + ": _");
            }
        }
        StringBuilder status = new StringBuilder(String.join(", ", parts));
        if (metrics.hasMetric("train")) {
            float seconds = metrics.latestMetric("train").getValue().longValue() / 1e9f;
            status.append(String.format(", speed: %.2f items/sec", batchSize / seconds));
        }
        return status.toString();
    }
}
