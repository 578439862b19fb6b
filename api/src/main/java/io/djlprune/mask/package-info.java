/**
 * Contains the budget-exact choice of channels and its saved result: {@link io.djlprune.mask.MaskSelector} turns
 * per-channel scores into the hard {@link io.djlprune.graph.ChannelMask} whose exact cost is within a
 * {@link io.djlprune.cost.Budget} and as close under it as channel granularity allows, giving channels up in a
 * {@link io.djlprune.mask.ChannelOrder}, or throws {@link io.djlprune.mask.BudgetUnreachableException} with the
 * smallest reachable ratio;
 * {@link io.djlprune.mask.MaskPlan} is the JSON record of the chosen mask (model fingerprint, budget, exact cost, how
 * it was found) that every method writes and compaction and export read.
 *
 * <p>It is a package of its own because it is where every method meets: ChipNet's ψ, DeepHoyer's group norms, L1
 * norms, BatchNorm scales and random scores all go through this one selector, so methods differ only in their scores
 * and are compared at exactly the same budget.
 */
package io.djlprune.mask;
