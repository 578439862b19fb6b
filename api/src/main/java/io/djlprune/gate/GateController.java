package io.djlprune.gate;

import java.util.Objects;

/**
 * The mutable state shared by all {@link Gate}s of one model: the current {@link HeavisideProjection} (β, γ) and the
 * current {@link GateMode}. Every gate holds a reference to the same controller, so the training listener anneals or
 * switches the whole model with one call, between batches or epochs.
 *
 * <p>Both fields are volatile because forward passes on several devices may run on other threads than the one that
 * changes them.
 */
public final class GateController {

    private volatile HeavisideProjection projection;
    private volatile GateMode mode;
    private volatile boolean frozenStatistics;
    private volatile boolean sampled;

    /** Creates a controller in {@link GateMode#SOFT} mode with the reference start values β = 1, γ = 2. */
    public GateController() {
        this(new HeavisideProjection(1, 2), GateMode.SOFT);
    }

    /**
     * Creates a controller with the given projection and mode.
     *
     * @param projection the initial projection
     * @param mode the initial mode
     */
    public GateController(HeavisideProjection projection, GateMode mode) {
        setProjection(projection);
        setMode(mode);
    }

    /**
     * Returns the projection the gates use in {@link GateMode#SOFT} mode and for their soft values.
     *
     * @return the current projection
     */
    public HeavisideProjection getProjection() {
        return projection;
    }

    /**
     * Replaces the projection, typically once per epoch or step from a {@link GateSchedule}.
     *
     * @param projection the new projection
     */
    public void setProjection(HeavisideProjection projection) {
        this.projection = Objects.requireNonNull(projection, "projection");
    }

    /**
     * Returns how the gates currently treat their input.
     *
     * @return the current mode
     */
    public GateMode getMode() {
        return mode;
    }

    /**
     * Switches every gate of the model to a mode.
     *
     * @param mode the new mode
     */
    public void setMode(GateMode mode) {
        this.mode = Objects.requireNonNull(mode, "mode");
    }

    /**
     * Returns whether the BatchNorms joined with gates normalise by their running statistics while training (frozen)
     * instead of the batch's.
     *
     * @return true when frozen
     */
    public boolean isFrozenStatistics() {
        return frozenStatistics;
    }

    /**
     * Freezes or releases the running statistics of the BatchNorms joined with gates: frozen, they normalise by the
     * statistics the network had when pruning began and do not update them, so a gate that shrinks its channel shrinks
     * what the next BatchNorm passes on instead of being normalised away.
     *
     * @param frozen whether to freeze
     */
    public void setFrozenStatistics(boolean frozen) {
        this.frozenStatistics = frozen;
    }

    /**
     * Returns whether soft gates, while training, pass each channel whole or not at all, drawn with probability z,
     * instead of scaling it by z.
     *
     * @return true when sampled
     */
    public boolean isSampled() {
        return sampled;
    }

    /**
     * Makes the soft gates sample while training: each training pass keeps a channel whole with probability z and
     * removes it otherwise (one draw per channel and pass), and ψ's gradient is the one of z (straight-through).
     * Evaluation passes still scale by z, the expectation. A network trained so cannot lean on a channel whose gate is
     * nearly shut by scaling it back up: it runs without that channel in most steps. A new controller scales (the
     * paper's gates); ChipNet's default recipe turns sampling on.
     *
     * @param sampled whether to sample
     */
    public void setSampled(boolean sampled) {
        this.sampled = sampled;
    }

    /** {@inheritDoc} */
    @Override
    public String toString() {
        return "GateController[" + mode + ", beta=" + projection.beta() + ", gamma=" + projection.gamma() + "]";
    }
}
