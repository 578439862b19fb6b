package io.djlprune.chipnet;

import ai.djl.training.Trainer;
import ai.djl.training.listener.TrainingListenerAdapter;

/**
 * Points the {@link ChipNetLoss}'s mask pull at the hard mask the gates choose now: after every soft step it chooses
 * the mask at the budget, as the per-epoch validation does, and hands it to the loss, so the next step pulls the
 * channels that mask removes. Does nothing when the loss's pull weight is 0, or once a hard finish has fixed the mask.
 */
final class MaskPull extends TrainingListenerAdapter {

    private final ChipNetLoss loss;
    private final HardMaskSelection selection;
    private final HardFinish finish;

    /**
     * Creates the pull.
     *
     * @param loss the loss whose mask it sets
     * @param selection chooses the mask
     * @param finish the hard finish, after whose start the mask no longer changes
     */
    MaskPull(ChipNetLoss loss, HardMaskSelection selection, HardFinish finish) {
        this.loss = loss;
        this.selection = selection;
        this.finish = finish;
    }

    /** A run starts without a mask: the first step is not pulled. */
    @Override
    public void onTrainingBegin(Trainer trainer) {
        loss.setHardMask(null);
    }

    /** Chooses the mask the gates stand for after this step. */
    @Override
    public void onTrainingBatch(Trainer trainer, BatchData batchData) {
        if (loss.getMaskPullWeight() > 0 && finish.fixedChoice() == null) {
            loss.setHardMask(selection.choose(trainer.getManager()).mask());
        }
    }
}
