package io.djlprune.ops;

/**
 * Batch normalisation over the channel axis (axis 1): {@code γ·(x − mean)/√(var + ε) + β} in inference.
 *
 * @param channels the number of channels
 * @param epsilon ε
 * @param momentum the running-statistics momentum as DJL defines it (weight of the old value)
 * @param center whether β is trained. DJL 0.35 applies γ and β in every case; a frozen β keeps its stored value
 *     (0 when initialised, anything when loaded), so a compactor must slice β and γ whatever these flags say
 * @param scale whether γ is trained (see {@code center})
 */
public record BatchNormOp(int channels, float epsilon, float momentum, boolean center, boolean scale)
        implements Op {}
