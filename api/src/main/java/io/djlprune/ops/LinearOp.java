package io.djlprune.ops;

/**
 * A fully connected layer on {@code (N, in)} input, weight {@code (out, in)}.
 *
 * @param inFeatures input features
 * @param outFeatures output features (units)
 * @param bias whether a bias is added
 */
public record LinearOp(long inFeatures, long outFeatures, boolean bias) implements Op {}
