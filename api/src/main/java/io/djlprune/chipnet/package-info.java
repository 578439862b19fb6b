/**
 * Contains ChipNet (Tiwari et al., ICLR 2021), the method that learns which channels to keep under a budget with
 * gates: {@link io.djlprune.chipnet.GatedNetwork} inserts one gate vector per prunable channel group into a dense
 * network (sharing its weights), {@link io.djlprune.chipnet.ChipNetLoss} adds the budget and crispness terms to the
 * task loss, and the {@link io.djlprune.chipnet.Pruner} training listener anneals the gates, derives the hard
 * {@link io.djlprune.mask.MaskPlan} after each epoch, keeps the best and, when training ends, can compact and export
 * it. {@link io.djlprune.chipnet.ChipNetRecipe} assembles the reference training setup;
 * {@link io.djlprune.chipnet.ChipNetPreset} names whole sets of choices (the published code's, or this library's
 * measured defaults, {@code docs/CHIPNET.md}) and {@link io.djlprune.chipnet.BudgetCount} one of them, what the
 * budget term charges for a part-open gate.
 *
 * <p>The Pruner is one listener to its users but is composed of package-private parts, one duty each, that share the
 * run's {@code PruningPosition}: {@code GateAnnealing} sets the gate scalars per step and epoch, {@code
 * HardMaskValidation} validates each epoch under the hard mask {@code HardMaskSelection} chooses, {@code BestEpoch}
 * keeps the best epoch with its weights, {@code HardFinish} fixes the mask for the last share of the steps, {@code
 * CompactExport} exports when training ends, and {@code PrunerCheckpoint} holds their state in a checkpoint.
 *
 * <p>It is a package of its own because it is the one method that rewrites the network it trains. The gate block
 * and its schedule are generic and live in {@link io.djlprune.gate}, the cost in {@link io.djlprune.cost}; what is
 * ChipNet's own stays here, with the rewrite (where the gates go, a BatchNorm fused with its gate, folding kept
 * scales into weights) package-private. It sits above {@link io.djlprune.compact}, which it calls at the end of
 * training and which never calls back.
 */
package io.djlprune.chipnet;
