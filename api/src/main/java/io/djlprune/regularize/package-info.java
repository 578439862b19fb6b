/**
 * Contains the sparsity-regularised training loss that DeepHoyer, Network Slimming and group lasso share:
 * {@link io.djlprune.regularize.RegularizedLoss} adds a weighted {@link io.djlprune.regularize.Regularizer} to a task
 * loss ({@code L = base + weight · R(W)}) and reports R as its own training metric, and
 * {@link io.djlprune.regularize.ChannelWeights} reads a network's weights per channel of a channel group (its filter
 * group and its channel group, across every tied producer, member and consumer) as differentiable expressions.
 *
 * <p>It is a package of its own because three methods use it and none owns it: the Hoyer measures in
 * {@link io.djlprune.hoyer} and the BatchNorm-L1 and group-lasso penalties in {@link io.djlprune.criteria} implement
 * {@link io.djlprune.regularize.Regularizer} and depend on this package, never the reverse.
 */
package io.djlprune.regularize;
