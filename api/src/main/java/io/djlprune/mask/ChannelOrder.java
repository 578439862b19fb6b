package io.djlprune.mask;

import java.util.Locale;

/**
 * The order in which the {@link MaskSelector} gives up channels. ALGORITHMS.md §1.5a measured that a global ranking
 * fed to a cost-blind greedy can starve a layer; the alternatives are here to be measured against it.
 */
public enum ChannelOrder {
    /** Lowest score first across all groups: the reference ChipNet rule (ψ ranks channels because β, γ are shared). */
    GLOBAL_SCORE("global"),
    /**
     * Channels the soft gates already drop (not preferred) go first, lowest score first; then the preferred ones. With
     * ChipNet, "preferred" is z &gt; 0.5, the channels the soft budget already counts as kept.
     */
    PREFERRED_FIRST("preferred"),
    /**
     * Every group keeps channels in proportion to the sum of its soft gate values Σz: within a group channels are
     * ranked by score, and the channel of rank r (0 = best) is given up in order of Σz / (r + 1), so at the budget
     * every group keeps about Σz / t channels for one global t. This is the soft network's own allocation scaled to
     * the budget: a group whose gates all sit half open keeps half its channels instead of being emptied because none
     * of them passes z &gt; ½. Needs the gate values (ChipNet); the selector refuses this order without them.
     */
    SOFT_SHARE("share"),
    /**
     * Lowest score per unit of cost saved first: a channel's score divided by the cost its removal saves from the
     * full network, so cheap layers are not emptied to save little.
     */
    COST_NORMALIZED("cost"),
    /**
     * Lowest score per unit of activation volume saved first: a channel's score divided by the share of the network's
     * activation volume its removal saves. Wide, high-resolution layers go first, which is what memory-bound layers
     * (BatchNorm, ReLU, residual adds) and the CPU's per-tensor traffic pay for, so latency falls closer to the FLOPs
     * ratio than under a cost-blind order. Combine with {@link MaskSelector.Builder#optRoundTo} for vector-width
     * channel counts.
     */
    VOLUME_NORMALIZED("volume");

    private final String key;

    ChannelOrder(String key) {
        this.key = key;
    }

    /**
     * Returns the short name used on command lines: global, preferred, share, cost, volume.
     *
     * @return the key
     */
    public String key() {
        return key;
    }

    /**
     * Parses a key (case-insensitive).
     *
     * @param text global, preferred, share, cost or volume
     * @return the order
     * @throws IllegalArgumentException naming the accepted keys
     */
    public static ChannelOrder parse(String text) {
        String value = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
        for (ChannelOrder order : values()) {
            if (order.key.equals(value)) {
                return order;
            }
        }
        throw new IllegalArgumentException(
                "Unknown channel order '" + text + "': use global, preferred, share, cost or volume");
    }

    /**
     * Returns the command-line name, so option help and messages show what a user types.
     *
     * @return {@link #key()}
     */
    @Override
    public String toString() {
        return key();
    }
}
