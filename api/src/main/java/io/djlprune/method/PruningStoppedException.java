package io.djlprune.method;

import io.djlprune.chipnet.PruningEpoch;
import io.djlprune.mask.MaskPlan;
import java.util.List;

/**
 * Thrown when a method's training stops early (it diverged) after it had already found a plan: the best plan so far
 * and the epochs before the stop travel with it, so the caller can keep them.
 */
public final class PruningStoppedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final transient MaskPlan bestPlan;
    private final transient List<PruningEpoch> history;

    /**
     * Creates the exception.
     *
     * @param bestPlan the best plan before the stop
     * @param history the epochs before the stop
     * @param cause why training stopped
     */
    public PruningStoppedException(MaskPlan bestPlan, List<PruningEpoch> history, RuntimeException cause) {
        super("Pruning stopped: " + cause.getMessage() + ". The best plan so far is from epoch " + bestPlan.getEpoch(), cause);
        this.bestPlan = bestPlan;
        this.history = List.copyOf(history);
    }

    /**
     * Returns the best plan found before the stop.
     *
     * @return the plan
     */
    public MaskPlan getBestPlan() {
        return bestPlan;
    }

    /**
     * Returns the epochs completed before the stop.
     *
     * @return the history
     */
    public List<PruningEpoch> getHistory() {
        return history;
    }
}
