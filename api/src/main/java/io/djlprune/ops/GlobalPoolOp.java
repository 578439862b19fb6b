package io.djlprune.ops;

/**
 * Pooling of each channel's whole map to one value, {@code (N, C, H, W) → (N, C, 1, 1)}, as DJL's global pooling
 * blocks compute it.
 *
 * @param kind max or average
 */
public record GlobalPoolOp(PoolKind kind) implements Op {}
