package io.djlprune.mask;

/**
 * The order in which the {@link MaskSelector} gives up channels. ALGORITHMS.md §1.5a measured that a global ranking
 * fed to a cost-blind greedy can starve a layer; the alternatives are here to be measured against it.
 */
public enum ChannelOrder {
    /** Lowest score first across all groups: the reference ChipNet rule (ψ ranks channels because β, γ are shared). */
    GLOBAL_SCORE,
    /**
     * Channels the soft gates already drop (not preferred) go first, lowest score first; then the preferred ones. With
     * ChipNet, "preferred" is z &gt; 0.5, the channels the soft budget already counts as kept.
     */
    PREFERRED_FIRST,
    /**
     * Lowest score per unit of cost saved first: a channel's score divided by the cost its removal saves from the
     * full network, so cheap layers are not emptied to save little.
     */
    COST_NORMALIZED,
    /**
     * Lowest score per unit of activation volume saved first: a channel's score divided by the share of the network's
     * activation volume its removal saves. Wide, high-resolution layers go first, which is what memory-bound layers
     * (BatchNorm, ReLU, residual adds) and the CPU's per-tensor traffic pay for, so latency falls closer to the FLOPs
     * ratio than under a cost-blind order. Combine with {@link MaskSelector.Builder#optRoundTo} for vector-width
     * channel counts.
     */
    VOLUME_NORMALIZED
}
