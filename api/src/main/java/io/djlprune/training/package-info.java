/**
 * Contains the training helpers every method's runs use, whatever they prune: optimisers whose state survives a
 * restart ({@link io.djlprune.training.ResumableAdam}, {@link io.djlprune.training.ResumableSgd}, and
 * {@link io.djlprune.training.ParameterGroupOptimizer}, which routes parameter groups such as ChipNet's ψ to their own
 * optimiser), the {@link io.djlprune.training.EpochSummaryListener} that logs and keeps one
 * {@link io.djlprune.training.EpochSummary} per epoch, {@link io.djlprune.training.Evaluation} for accuracy and
 * parameter counts outside a trainer, and the training listeners every run uses
 * ({@link io.djlprune.training.TrainingListeners}), whose progress ({@link io.djlprune.training.ConsoleProgress}) is a
 * bar on a terminal and a few plain lines in a log.
 *
 * <p>These are plain DJL training pieces, kept apart from the pruning methods that use them. The contracts they
 * fulfil for resumption ({@code StatefulOptimizer}, {@code Checkpointable}) belong to {@link io.djlprune.checkpoint},
 * so this package depends on it and not the reverse.
 */
package io.djlprune.training;
