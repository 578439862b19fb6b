package io.djlprune.chipnet;

import java.io.IOException;

/**
 * Where a ChipNet pruning run stands: the epochs completed, the steps taken in the current epoch, the length of an
 * epoch and when the current epoch began. The {@link Pruner} alone advances it; its parts (the gate annealing, the
 * hard finish, the hard-mask validation) read it, so all of them agree on the step they act at.
 *
 * <p>The epoch length is either configured or, if not, learned from the first epoch when it ends; until then it is
 * unknown (0) and the schedule holds each epoch's start values.
 */
final class PruningPosition {

    private final int totalEpochs;
    private int epoch;
    private int stepInEpoch;
    private int stepsPerEpoch;
    private long epochStart;

    /**
     * Creates the position before training.
     *
     * @param totalEpochs the epochs planned
     * @param stepsPerEpoch the configured steps per epoch, 0 to learn them from the first epoch
     */
    PruningPosition(int totalEpochs, int stepsPerEpoch) {
        this.totalEpochs = totalEpochs;
        this.stepsPerEpoch = stepsPerEpoch;
    }

    /** Goes back to the start of the run (the epoch length, configured or learned, stays). */
    void reset() {
        epoch = 0;
        stepInEpoch = 0;
    }

    /** Counts a training step of the current epoch; called when the step has run. */
    void countStep() {
        stepInEpoch++;
    }

    /** Learns the epoch length from the epoch that just ended, if it was not known. */
    void learnLength() {
        if (stepsPerEpoch == 0) {
            stepsPerEpoch = stepInEpoch;
        }
    }

    /** Counts the epoch that just ended (after its validation, which numbers its record {@code epoch() + 1}). */
    void completeEpoch() {
        epoch++;
    }

    /** Starts the clock and the step count of the next epoch. */
    void startEpoch() {
        stepInEpoch = 0;
        epochStart = System.nanoTime();
    }

    /**
     * Restores the epoch length a checkpoint was written with.
     *
     * @param savedSteps the checkpoint's steps per epoch
     * @throws IOException if this run has a different, known epoch length (its data or batch size changed)
     */
    void restoreLength(int savedSteps) throws IOException {
        if (stepsPerEpoch != 0 && savedSteps != stepsPerEpoch) {
            throw new IOException(
                    "The checkpoint's epochs have " + savedSteps + " steps but this run's have " + stepsPerEpoch
                            + ": the data or batch size changed");
        }
        stepsPerEpoch = savedSteps;
    }

    /**
     * Restores the epochs a checkpoint had completed.
     *
     * @param epochsDone the completed epochs
     */
    void restoreEpoch(int epochsDone) {
        epoch = epochsDone;
    }

    /**
     * Returns the completed epochs, which is also the 0-based index of the current one.
     *
     * @return the epochs done
     */
    int epoch() {
        return epoch;
    }

    /**
     * Returns the steps run so far in the current epoch.
     *
     * @return the steps
     */
    int stepInEpoch() {
        return stepInEpoch;
    }

    /**
     * Returns the steps of an epoch.
     *
     * @return the steps, 0 while unknown
     */
    int stepsPerEpoch() {
        return stepsPerEpoch;
    }

    /**
     * Returns whether the epoch length is known (configured, learned or restored).
     *
     * @return true once it is
     */
    boolean isLengthKnown() {
        return stepsPerEpoch != 0;
    }

    /**
     * Returns the step inside the epoch whose schedule values the next step uses: the steps run so far, held at the
     * epoch's last step, since an epoch longer than configured must not reach into the next epoch's values.
     *
     * @return the step, from 0 to {@code stepsPerEpoch() − 1}
     */
    int scheduleStep() {
        return Math.min(stepInEpoch, stepsPerEpoch - 1);
    }

    /**
     * Returns the training steps taken in the whole run so far.
     *
     * @return the steps
     */
    long stepsTaken() {
        return (long) epoch * stepsPerEpoch + stepInEpoch;
    }

    /**
     * Returns the training steps of the whole run.
     *
     * @return the epochs planned times the steps per epoch
     */
    long totalSteps() {
        return (long) totalEpochs * stepsPerEpoch;
    }

    /**
     * Returns the epochs planned.
     *
     * @return the epochs
     */
    int totalEpochs() {
        return totalEpochs;
    }

    /**
     * Returns the wall time since the current epoch started.
     *
     * @return seconds
     */
    double secondsInEpoch() {
        return (System.nanoTime() - epochStart) / 1e9;
    }
}
