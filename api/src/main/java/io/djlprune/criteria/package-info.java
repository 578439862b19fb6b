/**
 * Contains the channel criteria: each {@link io.djlprune.criteria.ChannelScorer} scores every prunable channel from
 * the current weights, and the scores go to {@link io.djlprune.mask.MaskSelector} for a budget-exact mask.
 * {@link io.djlprune.criteria.L1FilterNorm} (Li et al.), {@link io.djlprune.criteria.BatchNormScale} (Network
 * Slimming, trained with {@link io.djlprune.criteria.SlimmingRegularizedLoss} and its
 * {@link io.djlprune.criteria.BatchNormL1} penalty), {@link io.djlprune.criteria.GroupNormScore} (structured DeepHoyer
 * and group lasso), {@link io.djlprune.criteria.GroupLasso} (SSL, a regulariser and a scorer at once) and
 * {@link io.djlprune.criteria.RandomScores}, the floor every criterion must beat.
 *
 * <p>They share a package because they are interchangeable behind one interface: a method here is only a score
 * (with, for some, the regulariser trained before it), and selection, compaction and fine-tuning are the same for
 * all, so they are compared at the same budget.
 */
package io.djlprune.criteria;
