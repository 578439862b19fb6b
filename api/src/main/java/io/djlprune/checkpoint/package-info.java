/**
 * Resumable training: a listener that writes an atomic checkpoint at every epoch's end (weights, optimiser state and
 * the state of every listener that takes part, such as the ChipNet {@code Pruner}), and the reading side that
 * restores a new process to the last complete epoch and refuses a resume whose settings differ.
 *
 * <p>{@link io.djlprune.checkpoint.TrainingCheckpoint} writes and restores, {@link io.djlprune.checkpoint.ResumePoint}
 * is the last complete checkpoint as read from a run's folder, and {@link io.djlprune.checkpoint.ParameterFile} holds
 * the weights; {@link io.djlprune.checkpoint.PhaseCheckpoint} attaches the listener to one training phase and resumes
 * it. The two interfaces are the contract a participant fulfils: {@link io.djlprune.checkpoint.Checkpointable}
 * for a listener's state and {@link io.djlprune.checkpoint.StatefulOptimizer} for an optimiser's moments and step
 * counts. Keeping both contracts here lets {@code io.djlprune.training} (whose optimisers and epoch summary implement
 * them) depend on this package and not the reverse.
 */
package io.djlprune.checkpoint;
