package io.djlprune.chipnet;

import ai.djl.training.Trainer;
import ai.djl.training.listener.TrainingListenerAdapter;
import java.util.Arrays;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The hard finish as a training listener (see {@link Pruner.Builder#optHardFinish}): when the last share of all
 * pruning steps begins it fixes the hard mask the soft gates choose then, makes it permanent (folding the kept
 * channels' z into the weights if they keep their soft scale), and from the next step on the weights train under it,
 * so the network the run ends with is trained as the hard network it will be compacted to. It also sets the gates'
 * mode at the start and on resume: soft until the finish, hard from then on. The {@link Pruner} counts the step on the
 * shared {@link PruningPosition} before calling the batch hook.
 */
final class HardFinish extends TrainingListenerAdapter {

    // Logged under the Pruner's name: the user added the Pruner, and the log lines stay as they were before the split.
    private static final Logger logger = LoggerFactory.getLogger(Pruner.class);

    private final GatedNetwork network;
    private final HardMaskSelection selection;
    private final PruningPosition position;
    private final double fraction;
    private HardChoice fixed;

    /**
     * Creates the hard finish.
     *
     * @param network the gated network
     * @param selection chooses the mask to fix
     * @param position the run's position, advanced by the caller
     * @param fraction the share of all pruning steps trained under the fixed mask, 0 for none
     */
    HardFinish(GatedNetwork network, HardMaskSelection selection, PruningPosition position, double fraction) {
        this.network = network;
        this.selection = selection;
        this.position = position;
        this.fraction = fraction;
    }

    /**
     * Returns the first step, counted from 0 over the whole run, that trains under the fixed mask: the last {@code
     * fraction} share of the steps, rounded down to whole steps.
     *
     * @param totalSteps the steps of the whole run
     * @param fraction the share in [0, 1)
     * @return the step
     */
    static long firstFixedStep(long totalSteps, double fraction) {
        return totalSteps - (long) Math.floor(fraction * totalSteps);
    }

    /** No mask is fixed at the start: the gates train soft. */
    @Override
    public void onTrainingBegin(Trainer trainer) {
        fixed = null;
        network.useSoftGates();
    }

    /** Fixes the mask after the last step before the finish. */
    @Override
    public void onTrainingBatch(Trainer trainer, BatchData batchData) {
        if (isDue()) {
            begin(trainer);
        }
    }

    /**
     * Returns whether the finish begins after the step just counted: it is configured, has not begun, and the next
     * step is the first that trains under the fixed mask.
     *
     * @return true once, at that step
     */
    boolean isDue() {
        return fixed == null && fraction > 0 && position.isLengthKnown()
                && position.stepsTaken() >= firstFixedStep(position.totalSteps(), fraction);
    }

    private void begin(Trainer trainer) {
        HardChoice choice = selection.choose(trainer.getManager());
        choice.makePermanent(network);
        fixed = choice.folded();
        logger.info(
                "Hard finish from epoch {} step {}: the weights train under the fixed mask, kept {}",
                position.epoch() + 1,
                position.stepInEpoch(),
                Arrays.toString(choice.keptOfPrunable(network.getGraph())));
    }

    /**
     * Returns the mask the finish fixed, which every later step trains and validates with (its z already folded).
     *
     * @return the mask, or null before the finish
     */
    HardChoice fixedChoice() {
        return fixed;
    }

    /**
     * Restores the finish a checkpoint held and the gates' mode with it. The resumed model's weights already hold
     * what the finish folded into them, so a fixed mask is applied as it is, without folding again.
     *
     * @param choice the fixed mask, or null if the finish had not begun (the gates go back to soft)
     */
    void restore(HardChoice choice) {
        fixed = choice;
        if (fixed != null) {
            network.applyHardMask(fixed.mask());
        } else {
            network.useSoftGates();
        }
    }
}
