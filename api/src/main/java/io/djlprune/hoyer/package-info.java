/**
 * Contains DeepHoyer's measures and its element-wise flow. {@link io.djlprune.hoyer.HoyerSquare} (per weight tensor)
 * and {@link io.djlprune.hoyer.GroupHoyerSquare} (Group-HS, per channel group) are the scale-invariant sparsity
 * regularisers that {@link io.djlprune.hoyer.HoyerRegularizedLoss} adds to the task loss;
 * {@link io.djlprune.hoyer.GroupNormThreshold} removes whole channels whose group norm fell below a threshold. The
 * element-wise flow zeroes small weights with {@link io.djlprune.hoyer.WeightPruner} at a
 * {@link io.djlprune.hoyer.MagnitudeThreshold} (fixed, or chosen from a count of weights to keep by a
 * {@link io.djlprune.hoyer.WeightCut}), keeps them zero during fine-tuning with
 * {@link io.djlprune.hoyer.HeldZeros} and the {@link io.djlprune.hoyer.WeightMasks}, and counts what is left in a
 * {@link io.djlprune.hoyer.SparsityReport}.
 *
 * <p>It is a package of its own because it is one method with its own flow (element-wise pruning keeps the network's
 * shape, unlike every other method here). The loss machinery it shares with slimming and group lasso is in
 * {@link io.djlprune.regularize}, and the channel score read after Group-HS training
 * ({@code GroupNormScore}) sits with the other criteria in {@link io.djlprune.criteria}, which refers to this package
 * and not the reverse.
 */
package io.djlprune.hoyer;
