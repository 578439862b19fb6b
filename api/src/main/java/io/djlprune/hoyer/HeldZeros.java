package io.djlprune.hoyer;

import ai.djl.training.Trainer;
import ai.djl.training.listener.TrainingListenerAdapter;
import java.util.List;

/**
 * A DJL training listener that keeps pruned weights exactly zero while a network is fine-tuned with the
 * {@link WeightMasks} that pruning returned.
 *
 * <p>Zeroing the weights once is not enough: a zeroed weight still gets a gradient, and the next step (and the
 * optimiser's momentum or Adam moments built from it) would revive it. Re-zeroing after each step is not possible
 * from a listener: DJL calls {@code onTrainingBatch} after the backward pass but <em>before</em>
 * {@code Trainer.step()} ({@code EasyTrain.trainBatch}), and no listener hook follows the step. So this listener
 * zeroes the weights when training begins and, for every batch, masks the <b>gradients</b> before the step: the
 * pruned entries then get a zero gradient, zero momentum, zero Adam moments, zero weight decay (decay of 0 is 0) and
 * therefore a zero update, with SGD, momentum, Nesterov, Adam and AdamW alike.
 *
 * <p>That argument needs the optimiser's state for the pruned entries to be zero, i.e. an optimiser created for the
 * fine-tuning rather than one reused from the regularised training. The listener checks it: if a pruned entry is
 * not exactly zero at the next batch or at the end of an epoch, it throws instead of letting a revived weight pass
 * silently.
 *
 * <p>Supports training on one device; it does not own the masks.
 */
public final class HeldZeros extends TrainingListenerAdapter {

    private final WeightMasks masks;

    /**
     * Creates the listener.
     *
     * @param masks the masks of the pruned weights; closed by the caller after training
     */
    public HeldZeros(WeightMasks masks) {
        if (masks == null) {
            throw new IllegalArgumentException("HeldZeros needs the masks that pruning returned");
        }
        this.masks = masks;
    }

    /**
     * Zeroes the pruned weights before the first step, in case they changed since pruning.
     *
     * @param trainer the trainer
     * @throws IllegalStateException if the trainer trains on more than one device: the listener masks the parameters'
     *     main arrays only, not their per-device copies
     */
    @Override
    public void onTrainingBegin(Trainer trainer) {
        if (trainer.getDevices().length > 1) {
            throw new IllegalStateException(
                    "HeldZeros masks each parameter's main array and supports training on one device, got "
                            + trainer.getDevices().length);
        }
        masks.apply();
    }

    /**
     * Checks that the pruned weights are still zero and masks their gradients before the optimiser step.
     *
     * @param trainer the trainer
     * @param batchData the batch
     * @throws IllegalStateException if a pruned weight was revived by an earlier step
     */
    @Override
    public void onTrainingBatch(Trainer trainer, BatchData batchData) {
        requireHeld("before this step");
        masks.maskGradients();
    }

    /**
     * Checks that the epoch's last step left the pruned weights at zero.
     *
     * @param trainer the trainer
     * @throws IllegalStateException if a pruned weight was revived
     */
    @Override
    public void onEpoch(Trainer trainer) {
        requireHeld("at the end of the epoch");
    }

    private void requireHeld(String when) {
        List<String> revived = masks.revived();
        if (!revived.isEmpty()) {
            throw new IllegalStateException(
                    "Pruned weights of " + revived + " are no longer zero " + when + ". An optimiser step moved them"
                            + " although their gradients were masked: the optimiser carries momentum from before"
                            + " pruning (create a new optimiser for fine-tuning) or something else wrote the weights");
        }
    }
}
