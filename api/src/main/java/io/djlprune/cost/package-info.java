/**
 * Contains the cost of a network under a channel mask: {@link io.djlprune.cost.CostModel} counts each
 * {@link io.djlprune.cost.BudgetKind} (channels, activation volume, parameters, FLOPs) from the real layers of a
 * {@link io.djlprune.graph.ChannelGraph}, as an exact integer for a hard mask and as a differentiable NDArray
 * expression for soft keep values, both from one package-private formula so the two agree exactly at 0 and 1. A
 * {@link io.djlprune.cost.Budget} is the limit a user sets; {@link io.djlprune.cost.KeptCounter} is all the exact
 * count needs to know about a mask, so a selector can cost its working state without building one.
 *
 * <p>Cost is its own package because every method is held to the same budget by the same count: ChipNet's loss
 * uses the soft face, the mask selector and every report the exact one.
 */
package io.djlprune.cost;
