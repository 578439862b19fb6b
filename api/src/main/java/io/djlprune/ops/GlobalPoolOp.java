package io.djlprune.ops;

/**
 * Pooling of each channel's whole map to one value, {@code (N, C, H, W) → (N, C)}, as DJL's global pooling blocks
 * compute it: {@code Pool.globalAvgPool2d} and {@code globalMaxPool2d} drop the two spatial axes (the PyTorch engine
 * reshapes its {@code adaptive_avg_pool2d} result to {@code (N, C)}).
 *
 * @param kind max or average
 */
public record GlobalPoolOp(PoolKind kind) implements Op {}
