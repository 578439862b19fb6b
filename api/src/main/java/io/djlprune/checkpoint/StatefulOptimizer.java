package io.djlprune.checkpoint;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import java.util.Map;

/**
 * An optimiser whose state (moments, step counts) can be saved at an epoch's end and loaded into a new process, so a
 * resumed run continues exactly where the stopped one was. DJL's own optimisers keep their state private; a run that
 * resumed with fresh Adam moments would take one large step per parameter at the restart.
 *
 * <p>Parameters are named in the saved state by a stable name (their path in the block, as
 * {@code block.getParameters()} lists them), because DJL's parameter ids are random per process.
 */
public interface StatefulOptimizer {

    /**
     * Returns a copy of the optimiser's state, each array named {@code <parameter name>/<what>}.
     *
     * @param manager the manager the copies belong to (the caller closes it)
     * @param nameOfId the stable name of every parameter id the optimiser may have updated
     * @return the named arrays; empty before the first update
     * @throws IllegalStateException if the optimiser holds state of an id missing from {@code nameOfId}
     */
    NDList saveState(NDManager manager, Map<String, String> nameOfId);

    /**
     * Replaces the optimiser's state by a saved one.
     *
     * @param state arrays named as {@link #saveState} names them
     * @param idOfName the parameter id, in this process, of every stable name
     * @throws IllegalArgumentException if the state names a parameter that {@code idOfName} lacks or is malformed
     */
    void loadState(NDList state, Map<String, String> idOfName);
}
