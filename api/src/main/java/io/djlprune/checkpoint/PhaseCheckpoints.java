package io.djlprune.checkpoint;

/**
 * Hands each resumable training phase of a pruning run its {@link PhaseCheckpoint}, or none when the run is not
 * checkpointed. A command line keeps them in a folder beside its output; an application may keep them anywhere.
 */
@FunctionalInterface
public interface PhaseCheckpoints {

    /** The phase that trains with gates or a regulariser to find the mask. */
    String PRUNING = "training";

    /** The regularised training of DeepHoyer, slimming and group lasso. */
    String REGULARIZED = "regularized";

    /** The fine-tuning of the compacted network. */
    String FINETUNE = "finetune";

    /**
     * Returns the checkpoint of one phase.
     *
     * @param name the phase, e.g. {@link #PRUNING}
     * @return the checkpoint, or null when the phase is not checkpointed
     */
    PhaseCheckpoint phase(String name);

    /**
     * Returns checkpoints that keep nothing: every phase starts over.
     *
     * @return the no-checkpoint policy
     */
    static PhaseCheckpoints none() {
        return name -> null;
    }
}
