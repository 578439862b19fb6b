/**
 * Resumable training: a listener that writes an atomic checkpoint at every epoch's end (weights, optimiser state and
 * the state of every listener that takes part, such as the ChipNet {@code Pruner}), and the reading side that
 * restores a new process to the last complete epoch and refuses a resume whose settings differ.
 */
package io.djlprune.checkpoint;
