/**
 * Contains the cost of a network under a channel mask: {@link io.djlprune.cost.CostModel} counts each
 * {@link io.djlprune.cost.BudgetKind} (channels, activation volume, parameters, FLOPs) from the real layers of a
 * {@link io.djlprune.graph.ChannelGraph}, as an exact integer for a hard mask and as a differentiable NDArray
 * expression for soft keep values, both from one package-private formula so the two agree exactly at 0 and 1. A
 * {@link io.djlprune.cost.Budget} is the limit a user sets; {@link io.djlprune.cost.KeptCounter} is all the exact
 * count needs to know about a mask, so a selector can cost its working state without building one.
 *
 * <p>Latency is the one kind that is measured rather than counted: a {@link io.djlprune.cost.LatencyTable} holds the
 * times of each {@link io.djlprune.cost.LatencyLayer} (found by {@link io.djlprune.cost.LatencyLayers}) on a grid of
 * kept widths, measured by a {@link io.djlprune.cost.LayerTimer} through {@link io.djlprune.cost.LatencyTableBuilder}
 * and cached by {@link io.djlprune.cost.LatencyTableFile} under a {@link io.djlprune.cost.LatencyKey}; a cost model
 * given a table counts {@link io.djlprune.cost.BudgetKind#LATENCY} with bilinear interpolation, in both faces.
 *
 * <p>Cost is its own package because every method is held to the same budget by the same count: ChipNet's loss
 * uses the soft face, the mask selector and every report the exact one.
 */
package io.djlprune.cost;
