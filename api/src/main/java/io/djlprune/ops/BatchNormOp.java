package io.djlprune.ops;

/**
 * Batch normalisation over the channel axis (axis 1): {@code γ·(x − mean)/√(var + ε) + β} in inference.
 *
 * @param channels the number of channels
 * @param epsilon ε
 * @param momentum the running-statistics momentum as DJL defines it (weight of the old value)
 * @param center whether β is learned (else 0)
 * @param scale whether γ is learned (else 1)
 */
public record BatchNormOp(int channels, float epsilon, float momentum, boolean center, boolean scale)
        implements Op {}
