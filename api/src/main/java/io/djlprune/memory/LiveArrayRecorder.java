package io.djlprune.memory;

import ai.djl.training.Trainer;
import ai.djl.training.listener.TrainingListenerAdapter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A training listener that counts the engine's live native arrays after every training batch and after every epoch
 * (see {@link NativeMemory#liveArrays}). A training loop that frees what each step makes holds the same number of
 * arrays at the same point of every step once the optimiser's state exists (from the second step on); a count that
 * grows is a leak of a few arrays per step that becomes gigabytes over a real-length run. Tests of every training
 * path assert {@link #stepGrowth} is 0; an application can log the counts.
 */
public final class LiveArrayRecorder extends TrainingListenerAdapter {

    private final List<Integer> steps = new ArrayList<>();
    private final List<Integer> epochs = new ArrayList<>();

    /** {@inheritDoc} */
    @Override
    public void onTrainingBatch(Trainer trainer, BatchData batchData) {
        steps.add(NativeMemory.liveArrays(trainer.getManager()));
    }

    /** {@inheritDoc} */
    @Override
    public void onEpoch(Trainer trainer) {
        epochs.add(NativeMemory.liveArrays(trainer.getManager()));
    }

    /**
     * Returns the live-array count after each training batch, in order over the whole run.
     *
     * @return the counts
     */
    public List<Integer> getStepCounts() {
        return Collections.unmodifiableList(steps);
    }

    /**
     * Returns the live-array count after each epoch (after every listener added before this one ran).
     *
     * @return the counts
     */
    public List<Integer> getEpochCounts() {
        return Collections.unmodifiableList(epochs);
    }

    /**
     * Returns how many more arrays are alive at the most than after step {@code fromStep}, over the later steps.
     *
     * @param fromStep the 0-based step whose count is the reference (1 lets the optimiser create its state)
     * @return 0 for a loop that does not leak
     * @throws IllegalStateException if fewer than {@code fromStep + 2} steps were recorded
     */
    public int stepGrowth(int fromStep) {
        if (steps.size() < fromStep + 2) {
            throw new IllegalStateException(
                    "Growth after step " + fromStep + " needs at least " + (fromStep + 2) + " steps, recorded "
                            + steps.size());
        }
        int reference = steps.get(fromStep);
        return steps.subList(fromStep + 1, steps.size()).stream().mapToInt(c -> c - reference).max().orElse(0);
    }
}
