package io.djlprune.ops;

/**
 * Adaptive average pooling of NCHW input to a fixed map, {@code (N, C, H, W) → (N, C, height, width)}, as PyTorch's
 * {@code adaptive_avg_pool2d} computes it for any input size (see {@link io.djlprune.nn.AdaptiveAvgPool2d} for the
 * bins); acts on each channel alone.
 *
 * @param height the output map height
 * @param width the output map width
 */
public record AdaptiveAvgPool2dOp(int height, int width) implements Op {}
