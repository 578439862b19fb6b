package io.djlprune.chipnet;

import ai.djl.ndarray.NDManager;
import ai.djl.training.Trainer;
import ai.djl.training.listener.TrainingListenerAdapter;
import com.google.gson.JsonElement;
import io.djlprune.checkpoint.Checkpointable;
import io.djlprune.graph.ChannelMask;
import io.djlprune.mask.MaskPlan;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ChipNet {@link ai.djl.training.listener.TrainingListener}: each step it raises the soft-count steepness (and γ,
 * if the schedule anneals per step); after each epoch's validation it derives the hard {@link MaskPlan} at the budget,
 * measures validation accuracy **with the hard mask**, keeps the best plan and the weights that produced it (writing
 * the plan to disk at once, so a run that dies keeps its best), anneals β and γ, and goes back to soft gates. When
 * training ends (DJL signals it when the {@code Trainer} is closed) it restores the best weights and leaves the
 * network in hard-mask mode. Two options serve short runs, whose soft gates end part-open: kept channels may keep their
 * soft value z ({@link Builder#optKeepSoftScale}, folded into the weights at the end), and the last share of the steps
 * may train the weights under a mask fixed when that share begins ({@link Builder#optHardFinish}).
 *
 * <p>Add it after DJL's default listeners, with the {@link ChipNetLoss} as the training loss. It is {@link
 * Checkpointable}: a {@link io.djlprune.checkpoint.TrainingCheckpoint} saves its schedule position, history, best
 * epoch (with its weights) and hard-finish mask with every checkpoint, and a resumed run continues from them.
 *
 * <p>Inside, it is composed of one part per duty, as DJL composes its default listeners, and calls them in a fixed
 * order, since they share one {@link PruningPosition} that only the Pruner advances:
 *
 * <ul>
 *   <li>after a step: the position counts it, then the {@link GateAnnealing} sets the next step's values, then the
 *       {@link HardFinish} checks whether it begins, so that it chooses its mask with the z the next step would train
 *       with, and last the {@link MaskPull} (when the loss pulls) hands the loss the mask those z choose;
 *   <li>after an epoch: the position learns the epoch length, the {@link HardMaskValidation} validates and records
 *       the epoch under the projection it trained with, the position counts the epoch, the {@link BestEpoch} keeps it
 *       if it is the best, and only then the annealing sets the next epoch's values;
 *   <li>when training ends: the best epoch's weights and mask are restored before the {@link CompactExport} compacts
 *       them, and the result is logged last.
 * </ul>
 */
public final class Pruner extends TrainingListenerAdapter implements Checkpointable {

    private static final Logger logger = LoggerFactory.getLogger(Pruner.class);

    private final PruningPosition position;
    private final BestEpoch best;
    private final GateAnnealing annealing;
    private final HardFinish finish;
    private final MaskPull pull;
    private final HardMaskValidation validation;
    private final CompactExport export;
    private final PrunerCheckpoint checkpoint;

    private Pruner(Builder options) {
        GatedNetwork network = options.network;
        ChipNetLoss loss = options.loss;
        position = new PruningPosition(options.totalEpochs, options.stepsPerEpoch);
        best = new BestEpoch(network, loss, options.modelName, options.planFile);
        HardMaskSelection selection =
                new HardMaskSelection(network, loss, options.selector, options.keepSoftScale, position, best);
        annealing = new GateAnnealing(options.schedule, network.getController(), loss, position);
        finish = new HardFinish(network, selection, position, options.hardFinish);
        pull = new MaskPull(loss, selection, finish);
        validation =
                new HardMaskValidation(network, loss, options.validation, options.accuracyName, selection, position);
        export = options.exporter == null ? null : new CompactExport(network, options.compactor, options.exporter);
        checkpoint = new PrunerCheckpoint(network.getGraph(), position, validation, best, finish);
    }

    /**
     * Creates a builder.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /** {@inheritDoc} */
    @Override
    public void onTrainingBegin(Trainer trainer) {
        position.reset();
        validation.restoreHistory(List.of());
        best.reset();
        finish.onTrainingBegin(trainer);
        pull.onTrainingBegin(trainer);
        annealing.onTrainingBegin(trainer);
        position.startEpoch();
    }

    /** {@inheritDoc} */
    @Override
    public void onTrainingBatch(Trainer trainer, BatchData batchData) {
        position.countStep();
        annealing.onTrainingBatch(trainer, batchData);
        finish.onTrainingBatch(trainer, batchData);
        pull.onTrainingBatch(trainer, batchData);
    }

    /** {@inheritDoc} */
    @Override
    public void onEpoch(Trainer trainer) {
        position.learnLength();
        HardMaskValidation.Result result = validation.validate(trainer, finish.fixedChoice());
        position.completeEpoch();
        best.offer(trainer, result.choice(), result.record());
        annealing.onEpoch(trainer);
        position.startEpoch();
    }

    /** {@inheritDoc} */
    @Override
    public void onTrainingEnd(Trainer trainer) {
        if (!best.restoreInto(trainer)) {
            return;
        }
        if (export != null) {
            export.export(trainer.getManager(), best.plan(), best.choice().mask());
        }
        best.logResult();
    }

    /** {@inheritDoc} */
    @Override
    public String checkpointName() {
        return "pruner";
    }

    /** {@inheritDoc} */
    @Override
    public JsonElement saveState(Path folder) throws IOException {
        return checkpoint.save(folder);
    }

    /**
     * {@inheritDoc}
     *
     * <p>The weights of the resumed model already hold what the hard finish folded into them, so a saved hard-finish
     * mask is applied as it is, without folding again.
     */
    @Override
    public void restoreState(JsonElement saved, Path folder, NDManager manager) throws IOException {
        checkpoint.restore(saved, folder, manager);
        annealing.startEpoch();
        position.startEpoch();
        logger.info("Resumed after pruning epoch {} of {}", position.epoch(), position.totalEpochs());
    }

    /**
     * Returns every epoch's record so far.
     *
     * @return the history
     */
    public List<PruningEpoch> getHistory() {
        return validation.history();
    }

    /**
     * Returns the best plan so far (after training: the result).
     *
     * @return the plan, or null before the first epoch ends
     */
    public MaskPlan getBestPlan() {
        return best.plan();
    }

    /**
     * Returns the best hard mask so far.
     *
     * @return the mask, or null before the first epoch ends
     */
    public ChannelMask getBestMask() {
        return best.choice() == null ? null : best.choice().mask();
    }

    /** Configures a {@link Pruner}. */
    // The settings and their setters live in PrunerOptions, which keeps this file to the listener; javadoc shows them
    // here, as the methods of this class.
    public static final class Builder extends PrunerOptions {

        Builder() {}

        /**
         * Builds the listener.
         *
         * @return the pruner
         * @throws IllegalArgumentException if the network, loss or validation data is missing, a hard finish lacks
         *     the run length, or an export lacks its compactor or exporter
         */
        public Pruner build() {
            check();
            return new Pruner(this);
        }
    }
}
