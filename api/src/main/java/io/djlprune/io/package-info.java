/**
 * Contains crash-safe output: {@link io.djlprune.io.AtomicFiles} writes a file or a folder so readers see the old
 * content or the complete new one, and {@link io.djlprune.io.StagedDirectory} is an output folder that appears only
 * when complete.
 *
 * <p>It is a package of its own, with no djl-prune dependency, because every writer needs it — checkpoints, mask
 * plans, exported archives and the command-line runs — and a run killed at any moment must leave no half-written
 * file behind.
 */
package io.djlprune.io;
