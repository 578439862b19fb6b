package io.djlprune.checkpoint;

import ai.djl.Model;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.EasyTrain;
import ai.djl.training.Trainer;
import ai.djl.translate.TranslateException;
import io.djlprune.data.DataSplits;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One resumable training phase of a pruning run (ChipNet pruning, regularised training, fine-tuning): its checkpoint
 * folder, the settings a resume must repeat, the seed of the per-epoch data order, and whether this run resumes.
 *
 * @param folder the phase's checkpoint folder
 * @param settings the run's settings that decide what is computed (a resume with others is refused, naming them)
 * @param seed the run's seed
 * @param resume whether to continue from the folder's last complete epoch (else the phase starts over)
 */
public record PhaseCheckpoint(Path folder, Map<String, String> settings, long seed, boolean resume) {

    private static final Logger logger = LoggerFactory.getLogger(PhaseCheckpoint.class);

    /**
     * Adds the checkpoint listener to a config, after its other listeners.
     *
     * @param config the config, with its optimiser set
     * @param participants listeners whose state is saved with the weights
     * @return the listener
     * @throws IllegalStateException if the config's optimiser cannot save its state
     */
    public TrainingCheckpoint attach(DefaultTrainingConfig config, Checkpointable... participants) {
        if (!(config.getOptimizer() instanceof StatefulOptimizer optimizer)) {
            throw new IllegalStateException(
                    "The optimiser " + config.getOptimizer().getClass().getSimpleName() + " cannot save its state");
        }
        TrainingCheckpoint.Builder builder =
                TrainingCheckpoint.builder().setFolder(folder).optOptimizer(optimizer).optSettings(settings).optSeed(seed);
        for (Checkpointable participant : participants) {
            builder.addParticipant(participant);
        }
        TrainingCheckpoint checkpoint = builder.build();
        config.addTrainingListeners(checkpoint);
        return checkpoint;
    }

    /**
     * Restores an initialised trainer to the phase's last complete epoch when the run resumes.
     *
     * @param checkpoint the listener {@link #attach} added
     * @param trainer the trainer, initialised
     * @param what the phase, for the log
     * @return the epochs already done (0 when starting)
     * @throws IOException if the checkpoint cannot be read or does not fit
     * @throws IllegalArgumentException if the checkpoint was written with other settings
     */
    public int restore(TrainingCheckpoint checkpoint, Trainer trainer, String what) throws IOException {
        if (!resume) {
            return 0;
        }
        ResumePoint point = ResumePoint.read(folder);
        if (point == null) {
            return 0;
        }
        point.requireSettings(settings);
        checkpoint.restore(point, trainer);
        logger.info("Resuming {} after epoch {}", what, point.epochsDone());
        return point.epochsDone();
    }

    /**
     * Trains a model for a phase's epochs, resuming from its checkpoint when there is one.
     *
     * @param phase the phase's checkpoint, or null for a phase that is not checkpointed
     * @param model the model, block set
     * @param config the training config
     * @param participants listeners whose state the checkpoint saves
     * @param data the data
     * @param epochs the phase's epochs
     * @param batchSize the batch size the data was built with
     * @param what the phase, for the log
     * @throws IOException if the data or the checkpoint cannot be read
     * @throws TranslateException if the data pipeline fails
     */
    public static void fit(
            PhaseCheckpoint phase,
            Model model,
            DefaultTrainingConfig config,
            Checkpointable[] participants,
            DataSplits data,
            int epochs,
            int batchSize,
            String what)
            throws IOException, TranslateException {
        TrainingCheckpoint checkpoint = phase == null ? null : phase.attach(config, participants);
        try (Trainer trainer = model.newTrainer(config)) {
            trainer.initialize(data.batchShape(batchSize));
            int done = phase == null ? 0 : phase.restore(checkpoint, trainer, what);
            EasyTrain.fit(trainer, epochs - done, data.train(), data.validation());
        }
    }
}
