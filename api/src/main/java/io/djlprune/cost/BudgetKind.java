package io.djlprune.cost;

import java.util.Locale;

/** What a pruning budget limits; ratios are always kept cost over full cost of the same kind. */
public enum BudgetKind {
    /** Σ kept output channels over Σ all output channels of the conv and linear layers with prunable outputs. */
    CHANNELS("channels"),
    /** Σ kept channels × output H·W over the same for all channels: the activation memory of prunable layers. */
    VOLUME("volume"),
    /** Trainable parameters of the whole network: conv and linear weights and biases, BatchNorm γ and β. */
    PARAMETERS("params"),
    /**
     * Floating-point operations of one forward pass of one sample through the whole network, counting a multiply-add
     * as 2, a bias add as 1 and an inference BatchNorm as 2 per element (activations, pooling and residual adds are
     * not counted).
     */
    FLOPS("flops"),
    /**
     * Inference time of one forward pass of a batch on the device that serves the model, as a {@link LatencyTable}
     * measured there predicts it: per-layer times interpolated in the kept channels, their sum mapped onto
     * whole networks measured at a few widths ({@link LatencyCalibration}).
     * Only a {@link CostModel} given a latency table counts it.
     */
    LATENCY("latency");

    private final String key;

    BudgetKind(String key) {
        this.key = key;
    }

    /**
     * Returns the short name used on command lines and in plans: channels, volume, params, flops, latency.
     *
     * @return the key
     */
    public String key() {
        return key;
    }

    /**
     * Parses a key (case-insensitive).
     *
     * @param text channels, volume, params, flops or latency
     * @return the kind
     * @throws IllegalArgumentException naming the accepted keys
     */
    public static BudgetKind parse(String text) {
        String value = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
        for (BudgetKind kind : values()) {
            if (kind.key.equals(value) || kind.name().toLowerCase(Locale.ROOT).equals(value)) {
                return kind;
            }
        }
        throw new IllegalArgumentException(
                "Unknown budget kind '" + text + "': use channels, volume, params, flops or latency.");
    }
}
