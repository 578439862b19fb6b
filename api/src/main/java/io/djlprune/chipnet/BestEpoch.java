package io.djlprune.chipnet;

import ai.djl.training.Trainer;
import io.djlprune.mask.MaskPlan;
import io.djlprune.mask.MaskPlanJson;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the best epoch of a ChipNet run by hard-mask validation accuracy: its {@link MaskPlan}, its hard mask and a
 * {@link WeightSnapshot} of the weights that produced it. The plan is written to the plan file as soon as it improves,
 * so a run that dies keeps its best; when training ends the best weights are written back and the mask made
 * permanent.
 */
final class BestEpoch {

    // Logged under the Pruner's name: the user added the Pruner, and the log lines stay as they were before the split.
    private static final Logger logger = LoggerFactory.getLogger(Pruner.class);

    private final GatedNetwork network;
    private final ChipNetLoss loss;
    private final String modelName;
    private final Path planFile;
    private MaskPlan plan;
    private HardChoice choice;
    private WeightSnapshot weights;

    /**
     * Creates a keeper with no best yet.
     *
     * @param network the gated network
     * @param loss its loss, for the budget recorded in plans
     * @param modelName the model name recorded in plans
     * @param planFile where the best plan is written whenever it improves, or null
     */
    BestEpoch(GatedNetwork network, ChipNetLoss loss, String modelName, Path planFile) {
        this.network = network;
        this.loss = loss;
        this.modelName = modelName;
        this.planFile = planFile;
    }

    /** Forgets the best epoch and frees its weights. */
    void reset() {
        plan = null;
        choice = null;
        closeWeights();
    }

    /**
     * Keeps an epoch if its hard mask validated better than the best so far (the first epoch always); ties keep the
     * earlier epoch.
     *
     * @param trainer the trainer, whose weights are copied
     * @param candidate the epoch's hard mask
     * @param record the epoch's record
     * @throws UncheckedIOException if the plan file cannot be written
     */
    void offer(Trainer trainer, HardChoice candidate, PruningEpoch record) {
        if (plan == null || record.hardAccuracy() > plan.getValidationAccuracy()) {
            keep(trainer, candidate, record);
        }
    }

    private void keep(Trainer trainer, HardChoice candidate, PruningEpoch record) {
        choice = candidate;
        plan =
                MaskPlan.of(modelName, "chipnet", network.getCostModel(), loss.getBudget(), candidate.mask(),
                                candidate.psi())
                        .withTraining(record.epoch(), record.hardAccuracy(), record.beta(), record.gamma());
        // one snapshot at a time: the old one is freed before the new one is taken
        closeWeights();
        weights = WeightSnapshot.of(trainer.getModel().getBlock(), trainer.getManager());
        if (planFile != null) {
            try {
                MaskPlanJson.save(plan, planFile);
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot write the best mask plan to " + planFile, e);
            }
        }
    }

    /**
     * Writes the best epoch's weights back into the trainer's model, frees the copy and makes its mask permanent.
     * Without a best epoch it warns and changes nothing.
     *
     * @param trainer the trainer
     * @return whether there was a best epoch
     */
    boolean restoreInto(Trainer trainer) {
        if (plan == null) {
            logger.warn("Training ended before any pruning epoch completed; no plan was derived");
            return false;
        }
        weights.restore(trainer.getModel().getBlock());
        closeWeights();
        choice.makePermanent(network);
        return true;
    }

    /** Logs the result: the best epoch, its accuracy and its cost against the target. */
    void logResult() {
        logger.info(
                "Best hard mask from epoch {}: validation accuracy {}, {} {} (target {})",
                plan.getEpoch(),
                String.format("%.4f", plan.getValidationAccuracy()),
                plan.getBudget().kind().key(),
                String.format("%.4f", plan.getAchievedRatio()),
                plan.getBudget().target());
    }

    /**
     * Returns where the best plan so far is, for an error that ends the run, e.g. {@code " (epoch 3) is at
     * plan.json"}.
     *
     * @return the text, starting with a space
     */
    String whereSoFar() {
        return (plan == null ? " does not exist yet" : " (epoch " + plan.getEpoch() + ")")
                + (planFile == null || plan == null ? "" : " is at " + planFile);
    }

    /**
     * Sets the best epoch a checkpoint held, replacing (and freeing) the current one.
     *
     * @param plan its plan
     * @param choice its hard mask
     * @param weights its weights, now owned by this keeper
     */
    void restore(MaskPlan plan, HardChoice choice, WeightSnapshot weights) {
        closeWeights();
        this.plan = plan;
        this.choice = choice;
        this.weights = weights;
    }

    /**
     * Returns the best plan so far.
     *
     * @return the plan, or null before the first epoch ends
     */
    MaskPlan plan() {
        return plan;
    }

    /**
     * Returns the best epoch's hard mask.
     *
     * @return the choice, or null before the first epoch ends
     */
    HardChoice choice() {
        return choice;
    }

    /**
     * Returns the best epoch's weights.
     *
     * @return the snapshot, or null when there is no best epoch or training has ended
     */
    WeightSnapshot weights() {
        return weights;
    }

    private void closeWeights() {
        if (weights != null) {
            weights.close();
            weights = null;
        }
    }
}
