package io.djlprune.hoyer;

/** Which DeepHoyer regulariser a {@link HoyerRegularizedLoss} adds. */
public enum HoyerVariant {
    /** {@link HoyerSquare} over every convolution and linear weight tensor, for element-wise pruning. */
    ELEMENTWISE,
    /** {@link GroupHoyerSquare} over the filter and channel groups of every prunable channel group. */
    GROUP
}
