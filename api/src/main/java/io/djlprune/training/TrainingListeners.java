package io.djlprune.training;

import ai.djl.training.listener.DivergenceCheckTrainingListener;
import ai.djl.training.listener.EpochTrainingListener;
import ai.djl.training.listener.EvaluatorTrainingListener;
import ai.djl.training.listener.TrainingListener;

/**
 * The training listeners djl-prune trains with, in place of DJL's {@code TrainingListener.Defaults.logging()}.
 *
 * <p>Why: DJL's set logs progress through a bar that writes a frame per percent, which fills a log that is not a
 * terminal. This set is the same listeners in the same order, with DJL's {@code LoggingTrainingListener} replaced by
 * {@link ProgressLoggingListener}, whose progress is a bar on a terminal and a line per few percent elsewhere.
 */
public final class TrainingListeners {

    private TrainingListeners() {}

    /**
     * Returns new instances of DJL's default logging set: {@code EpochTrainingListener},
     * {@code EvaluatorTrainingListener}, {@code DivergenceCheckTrainingListener} and a {@link ProgressLoggingListener}.
     *
     * @return the listeners, for {@code DefaultTrainingConfig.addTrainingListeners}
     */
    public static TrainingListener[] logging() {
        return new TrainingListener[] {
            new EpochTrainingListener(),
            new EvaluatorTrainingListener(),
            new DivergenceCheckTrainingListener(),
            new ProgressLoggingListener()
        };
    }
}
