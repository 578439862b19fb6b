/**
 * A whole pruning run as a DJL application calls it: {@link io.djlprune.pipeline.PruningJob} takes a trained
 * {@code Model}, the data, a {@link io.djlprune.method.PruningMethod} and a budget, and returns a {@link
 * io.djlprune.pipeline.PruningResult} (plan, compacted and fine-tuned network, history, accuracies). Mask production
 * (the method) and what follows it (compaction, {@link io.djlprune.pipeline.FineTuning}, export) are separate steps,
 * so a caller can keep the dense weights in between.
 *
 * <p>{@link io.djlprune.pipeline.SparsifyJob} is the element-wise counterpart (DeepHoyer's Hoyer-Square or Group-HS
 * training, a {@link io.djlprune.hoyer.WeightCut} of the small weights, fine-tuning with the zeros held, export): the
 * network keeps its shape, and a {@link io.djlprune.pipeline.SparsifyResult} reports its non-zero weights and the
 * accuracies along the way. The command line is a mapping of its options onto this package.
 */
package io.djlprune.pipeline;
