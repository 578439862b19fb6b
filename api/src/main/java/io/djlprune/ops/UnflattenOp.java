package io.djlprune.ops;

/**
 * A reshape of features back into 1×1 maps, {@code (N, C) → (N, C, 1, 1)}, as DJL's MobileNetV2 does before its 1×1
 * classifier convolution: channel c stays channel c.
 *
 * @param generic whether the block reshapes any channel count (probed at two counts); when false it has its channel
 *     count built in, so the channels through it must not be pruned
 */
public record UnflattenOp(boolean generic) implements Op {}
