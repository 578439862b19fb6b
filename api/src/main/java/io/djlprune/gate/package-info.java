/**
 * Contains the channel gate and its schedule: {@link io.djlprune.gate.Gate} is a DJL block that multiplies each
 * channel by a factor from its logit ψ, all gates of a model share one {@link io.djlprune.gate.GateController} that
 * switches them between {@link io.djlprune.gate.GateMode}s and holds the current
 * {@link io.djlprune.gate.HeavisideProjection} (β, γ), and {@link io.djlprune.gate.GateSchedule} anneals those
 * scalars. {@link io.djlprune.gate.PsiInitializer} and {@link io.djlprune.gate.PsiWarmStart} choose where ψ starts.
 *
 * <p>The gate is kept apart from {@link io.djlprune.chipnet} because it knows nothing of channel groups, costs or
 * training: it is the differentiable block and its arithmetic, which the mask plan also needs to turn a stored ψ back
 * into gate values, while where gates go and how they are trained is ChipNet's business.
 */
package io.djlprune.gate;
