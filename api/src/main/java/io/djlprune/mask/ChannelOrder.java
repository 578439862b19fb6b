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
     * Returns the short name used on command lines: global, preferred, cost, volume.
     *
     * @return the key
     */
    public String key() {
        return key;
    }

    /**
     * Parses a key (case-insensitive).
     *
     * @param text global, preferred, cost or volume
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
                "Unknown channel order '" + text + "': use global, preferred, cost or volume");
    }
}
