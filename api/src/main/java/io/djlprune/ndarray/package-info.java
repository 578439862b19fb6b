/**
 * Contains {@link io.djlprune.ndarray.OwnedArrays}, constants that an autograd graph may safely keep.
 *
 * <p>On DJL's PyTorch engine an array made from Java data borrows a direct buffer that the JVM may collect before the
 * backward pass reads it, which gave wrong gradients and occasional NaN losses. The gates, the losses and
 * regularisers, the soft face of the cost model and the resumable optimisers all take their constants from here, so
 * this low-level package, with no djl-prune dependency, is the one place that knows the workaround.
 */
package io.djlprune.ndarray;
