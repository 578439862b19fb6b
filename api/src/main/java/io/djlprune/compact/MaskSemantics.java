package io.djlprune.compact;

/**
 * What a removed channel carries in the masked model that compaction must reproduce. Compaction deletes a removed
 * channel everywhere; this says where the masked model makes it exactly zero. Between those points the channel may
 * turn into a constant (an activation with f(0) ≠ 0, a BatchNorm's shift, a depthwise bias), which the
 * {@link Compactor} folds into the next layer or refuses.
 */
public enum MaskSemantics {

    /**
     * The ChipNet gated network in hard mode ({@code GatedNetwork.applyHardMask}): a removed channel is exactly 0
     * after every BatchNorm of its group and after every producer whose output does not go straight into a
     * BatchNorm. These are the gate sites {@code io.djlprune.chipnet.GatedNetwork} inserts.
     */
    GATED,

    /**
     * Removal by zeroed weights, as DeepHoyer and magnitude criteria leave a network: a removed channel is exactly 0
     * after each of its producers (its filter and bias are zero) and nowhere else, so a BatchNorm after it emits its
     * shift {@code β − γ·mean/√(var + ε)}, which the compactor folds.
     */
    ZEROED_PRODUCERS
}
