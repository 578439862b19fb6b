package io.djlprune.ops;

/**
 * Flattening of every axis but the batch axis, {@code (N, C, H, W) → (N, C·H·W)}: channel c becomes the features
 * {@code [c·H·W, (c+1)·H·W)}.
 */
public record FlattenOp() implements Op {}
