/**
 * Contains the vocabulary of what a DJL leaf block computes: the sealed {@link io.djlprune.ops.Op} and its value
 * records ({@link io.djlprune.ops.Conv2dOp}, {@link io.djlprune.ops.BatchNormOp}, {@link io.djlprune.ops.LinearOp},
 * {@link io.djlprune.ops.Pool2dOp}, {@link io.djlprune.ops.JoinOp}, …), and the {@link io.djlprune.ops.OpClassifier}
 * that assigns one to a block, exactly or not at all. {@link io.djlprune.ops.DjlOpClassifier} reads DJL's concrete
 * layers and identifies its opaque {@code LambdaBlock}s by running them on designed inputs; a user teaches it a custom
 * block with an {@link io.djlprune.ops.OpRule}, once for the whole JVM through {@link io.djlprune.ops.OpRules}, and a
 * block nobody can describe is refused with an {@link io.djlprune.ops.UnsupportedBlockException} naming its path.
 *
 * <p>This is near the bottom of the dependency order and uses no other djl-prune package but {@link io.djlprune.nn},
 * the layers DJL lacks: the channel graph, the cost
 * model, the compactor and the TorchScript writer all ask the same classifier, so they agree on every layer. The
 * probes and the reflective reads of DJL's private layer fields are package-private; callers only ever see ops.
 */
package io.djlprune.ops;
