/**
 * A whole pruning run as a DJL application calls it: {@link io.djlprune.pipeline.PruningJob} takes a trained
 * {@code Model}, the data, a {@link io.djlprune.method.PruningMethod} and a budget, and returns a {@link
 * io.djlprune.pipeline.PruningResult} (plan, compacted and fine-tuned network, history, accuracies). Mask production
 * (the method) and what follows it (compaction, {@link io.djlprune.pipeline.FineTuning}, export) are separate steps,
 * so a caller can keep the dense weights in between. The command line is a mapping of its options onto this package.
 */
package io.djlprune.pipeline;
