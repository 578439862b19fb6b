package io.djlprune.ops;

/**
 * Dropout: identity in inference; in training, zeroes elements with probability {@code rate} and rescales.
 *
 * @param rate the drop probability
 */
public record DropoutOp(float rate) implements Op {}
