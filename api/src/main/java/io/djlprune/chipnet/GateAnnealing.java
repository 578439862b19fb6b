package io.djlprune.chipnet;

import ai.djl.training.Trainer;
import ai.djl.training.listener.TrainingListenerAdapter;
import io.djlprune.gate.GateController;
import io.djlprune.gate.GateSchedule;
import io.djlprune.gate.HeavisideProjection;

/**
 * The annealing of ChipNet's gate scalars as a training listener: after every step it sets the soft-count steepness
 * (and the projection, if γ is annealed per step) the next step trains with, and at the start of every epoch the
 * projection and steepness of that epoch's first step. Values come from a {@link GateSchedule} at the shared {@link
 * PruningPosition}, which the {@link Pruner} advances before calling each hook.
 */
final class GateAnnealing extends TrainingListenerAdapter {

    private final GateSchedule schedule;
    private final GateController controller;
    private final ChipNetLoss loss;
    private final PruningPosition position;

    /**
     * Creates the annealing.
     *
     * @param schedule the β/γ/steepness schedule
     * @param controller the gates' controller, whose projection is set
     * @param loss the loss, whose steepness is set
     * @param position the run's position, advanced by the caller
     */
    GateAnnealing(GateSchedule schedule, GateController controller, ChipNetLoss loss, PruningPosition position) {
        this.schedule = schedule;
        this.controller = controller;
        this.loss = loss;
        this.position = position;
    }

    /** Sets the first epoch's start values (the position was reset). */
    @Override
    public void onTrainingBegin(Trainer trainer) {
        startEpoch();
    }

    /** Sets the values of the step after the one that ran (the position has counted it). */
    @Override
    public void onTrainingBatch(Trainer trainer, BatchData batchData) {
        int epoch = position.epoch();
        if (!position.isLengthKnown()) {
            // the first epoch's length is learned as it runs; until then the epoch's start value holds
            loss.setSteepness(schedule.steepnessAt(epoch));
            return;
        }
        int step = position.scheduleStep();
        int steps = position.stepsPerEpoch();
        loss.setSteepness(schedule.steepnessAt(epoch, step, steps));
        if (schedule.isGammaAnnealedPerStep()) {
            controller.setProjection(schedule.projectionAt(epoch, step, steps));
        }
    }

    /** Sets the next epoch's start values (the position has counted the epoch that ended). */
    @Override
    public void onEpoch(Trainer trainer) {
        startEpoch();
    }

    /**
     * Sets the projection and the soft-count steepness of the current epoch's first step. Both are set here rather
     * than by the batch hook: that hook sets the value of the step after the one that just ran and, at an epoch's last
     * step, only knows the epoch that is ending.
     *
     * @throws IllegalStateException if γ is annealed per step and the epoch length is unknown
     */
    void startEpoch() {
        int epoch = position.epoch();
        controller.setProjection(projectionAtEpochStart(epoch));
        loss.setSteepness(
                position.isLengthKnown()
                        ? schedule.steepnessAt(epoch, 0, position.stepsPerEpoch())
                        : schedule.steepnessAt(epoch));
    }

    private HeavisideProjection projectionAtEpochStart(int epoch) {
        if (schedule.isGammaAnnealedPerStep()) {
            if (!position.isLengthKnown()) {
                throw new IllegalStateException(
                        "A schedule that anneals γ per step needs the steps per epoch:"
                                + " set Pruner.Builder.optStepsPerEpoch");
            }
            return schedule.projectionAt(epoch, 0, position.stepsPerEpoch());
        }
        return schedule.projectionAt(epoch);
    }
}
