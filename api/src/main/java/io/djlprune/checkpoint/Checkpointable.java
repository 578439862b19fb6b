package io.djlprune.checkpoint;

import ai.djl.ndarray.NDManager;
import com.google.gson.JsonElement;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Something whose state a checkpoint saves with the weights, usually a training listener that carries state from
 * epoch to epoch (the ChipNet {@code Pruner}: its schedule position, history and best epoch; an epoch summary: its
 * history).
 */
public interface Checkpointable {

    /**
     * Returns the name the state is saved under, unique among the participants of one checkpoint.
     *
     * @return a short stable name such as "pruner"
     */
    String checkpointName();

    /**
     * Saves the state at an epoch's end.
     *
     * @param folder a folder of this checkpoint only, for state too large for JSON (weights); may stay unused
     * @return the state as JSON
     * @throws IOException if a file cannot be written
     */
    JsonElement saveState(Path folder) throws IOException;

    /**
     * Restores the state saved by {@link #saveState}, before training continues.
     *
     * @param state the JSON {@link #saveState} returned
     * @param folder the folder it wrote into
     * @param manager a manager for arrays that must outlive the call (on the training device)
     * @throws IOException if a file of the checkpoint cannot be read or does not fit
     */
    void restoreState(JsonElement state, Path folder, NDManager manager) throws IOException;
}
