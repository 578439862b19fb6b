/**
 * Compaction: turning a network and a hard channel mask into a smaller plain network that computes the same thing.
 *
 * <p><b>What "the same thing" is.</b> The reference is the masked model of a {@link io.djlprune.compact.MaskSemantics}:
 * by default the ChipNet gated network in hard mode, where each removed channel is exactly 0 after every BatchNorm of
 * its group and after every producer not followed by a BatchNorm. Compaction deletes the channel everywhere. That is
 * exact wherever the channel is 0 when a consumer reads it. Between a zero point and a consumer, per-channel layers
 * may turn 0 into a constant (sigmoid gives ½, a depthwise convolution its bias, a BatchNorm its shift); such a
 * constant adds {@code Σ W·v} to every output of a linear layer or an unpadded convolution, which is folded into the
 * consumer's bias (or the running mean of the BatchNorm right after a bias-free consumer). A constant that meets zero
 * padding, or a removed channel that still varies when it is read, has no exact fold and is refused with the path.
 *
 * <p><b>How.</b> {@code LeakTracer} follows the removed channels' values through the tree, {@code FoldPlanner}
 * decides each fold or refusal, and {@code TreeRebuilder} rebuilds the containers with one {@code LayerSlicer} per
 * layer kind. Equality is in inference mode (BatchNorm on its running statistics), which is what evaluation, serving
 * and export use: a BatchNorm on batch statistics would normalise a constant removed channel differently, so the
 * masked model itself changes between the two modes.
 *
 * <p><b>Entry points.</b> {@link io.djlprune.compact.Compactor} produces a {@link io.djlprune.compact.CompactionResult}
 * (the smaller block and what changed in each layer) or throws {@link io.djlprune.compact.InexactCompactionException}.
 * {@link io.djlprune.compact.CompactModelExporter} is where a compacted model goes next: an interface, so the
 * engine-agnostic ChipNet {@code Pruner} can export without this module depending on an engine (engine-ops'
 * {@code TorchScriptExport} implements it).
 */
package io.djlprune.compact;
