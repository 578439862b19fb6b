package io.djlprune.chipnet;

import ai.djl.ndarray.NDManager;
import io.djlprune.graph.ChannelMask;
import io.djlprune.mask.MaskSelector;

/**
 * Chooses the hard mask the soft gates stand for now: ψ ranks the channels, the {@link MaskSelector} keeps as many as
 * the budget allows, and, when kept channels keep their soft scale, their z goes with the mask. Both the per-epoch
 * validation and the hard finish choose through it, so they choose alike.
 */
final class HardMaskSelection {

    private final GatedNetwork network;
    private final ChipNetLoss loss;
    private final MaskSelector selector;
    private final boolean keepSoftScale;
    private final PruningPosition position;
    private final BestEpoch best;

    /**
     * Creates the selection.
     *
     * @param network the gated network
     * @param loss its loss, for the budget
     * @param selector turns ψ into the mask
     * @param keepSoftScale whether kept channels keep z
     * @param position the run's position, for the epoch a divergence is reported in
     * @param best the best epoch so far, which a divergence report points to
     */
    HardMaskSelection(
            GatedNetwork network,
            ChipNetLoss loss,
            MaskSelector selector,
            boolean keepSoftScale,
            PruningPosition position,
            BestEpoch best) {
        this.network = network;
        this.loss = loss;
        this.selector = selector;
        this.keepSoftScale = keepSoftScale;
        this.position = position;
        this.best = best;
    }

    /**
     * Returns the hard mask the soft gates choose now at the budget, with the ψ that ranked it and z if kept channels
     * keep it.
     *
     * @param manager a manager for computing z
     * @return the choice
     * @throws IllegalStateException if ψ is not finite (the gates diverged), naming the best plan so far
     */
    HardChoice choose(NDManager manager) {
        float[][] psi = network.psi();
        checkFinite(psi);
        float[][] z = network.softGateValues(manager);
        ChannelMask mask = selector.select(network.getCostModel(), loss.getBudget(), psi, z);
        return new HardChoice(mask, psi, keepSoftScale ? positive(z) : null);
    }

    /** z with exact zeros (an underflowed gate the selector still kept) raised to the smallest normal float. */
    private static float[][] positive(float[][] z) {
        float[][] out = new float[z.length][];
        for (int g = 0; g < z.length; g++) {
            if (z[g] != null) {
                out[g] = z[g].clone();
                for (int c = 0; c < out[g].length; c++) {
                    out[g][c] = Math.max(out[g][c], Float.MIN_NORMAL);
                }
            }
        }
        return out;
    }

    private void checkFinite(float[][] psi) {
        for (float[] values : psi) {
            if (values == null) {
                continue;
            }
            for (float v : values) {
                if (!Float.isFinite(v)) {
                    throw new IllegalStateException(
                            "ChipNet gates diverged (ψ is not finite) in epoch " + (position.epoch() + 1)
                                    + "; the best plan so far" + best.whereSoFar());
                }
            }
        }
    }
}
