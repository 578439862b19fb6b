/**
 * The structured-pruning methods as one abstraction: a {@link io.djlprune.method.PruningMethod} has an optional
 * training-time part (ChipNet's gates, a sparsity regulariser) and hands a budget-exact {@link
 * io.djlprune.mask.MaskPlan} on, so every method feeds the same compactor, fine-tuning and exporters.
 *
 * <p>{@link io.djlprune.method.ChipNetMethod} learns its mask; {@link io.djlprune.method.ScoringMethod} scores
 * channels (L1, random, and after regularised training Group-HS, HS, slimming, group lasso); {@link
 * io.djlprune.method.PlanTransfer} reuses a plan learned elsewhere. A method sees the run through a {@link
 * io.djlprune.method.PruningContext} and trains as its {@link io.djlprune.method.PruningRecipe} says.
 */
package io.djlprune.method;
