package io.djlprune.gate;

import java.util.Arrays;
import java.util.Comparator;

/**
 * Starting values of ChipNet's gate logits ψ that carry a channel ranking into the gates, for short pruning runs.
 *
 * <p>Why: the budget term's gradient is the same for every channel of a group, so within a group ψ moves almost in
 * lock-step; only the (small) task-loss gradient separates channels. Measured on LeNet-5 after one pruning epoch from
 * the reference start {@code [0, 0.01)}: each group's ψ spans 0.01 around a mean that moved by −0.48, so the hard mask
 * picks channels within a group by noise. A warm start spreads each group's ψ by the rank of a channel score (e.g. L1
 * filter norms) around the reference start; the lock-step then preserves that order until the task loss overrules it,
 * while the budget term still decides how many channels each group keeps.
 */
public final class PsiWarmStart {

    /** The centre of the reference initialisation {@code [0, 0.01)}. */
    private static final float CENTRE = 0.005f;

    private PsiWarmStart() {}

    /**
     * Returns ψ for every prunable group: the channel with the lowest score of a group gets
     * {@code centre − spread/2}, the highest {@code centre + spread/2}, evenly spaced by rank between (ties keep
     * channel order).
     *
     * @param scores one score array per group id, null for groups without gates
     * @param spread the range of ψ within a group, &gt; 0 (0.1 keeps the gates between z ≈ 0.69 and 0.71 at β = 1,
     *     γ = 2, close to the reference start)
     * @return one ψ array per group id, null where {@code scores} is null
     * @throws IllegalArgumentException if the spread is not a finite number &gt; 0 or a score is NaN
     */
    public static float[][] fromScores(float[][] scores, float spread) {
        if (!(spread > 0) || !Float.isFinite(spread)) {
            throw new IllegalArgumentException("The ψ spread must be a finite number > 0, got " + spread);
        }
        float[][] psi = new float[scores.length][];
        for (int g = 0; g < scores.length; g++) {
            float[] score = scores[g];
            if (score == null) {
                continue;
            }
            Integer[] order = new Integer[score.length];
            for (int c = 0; c < score.length; c++) {
                if (Float.isNaN(score[c])) {
                    throw new IllegalArgumentException("Score of channel " + c + " of group " + g + " is NaN");
                }
                order[c] = c;
            }
            Arrays.sort(order, Comparator.comparingDouble(c -> score[c]));
            psi[g] = new float[score.length];
            for (int rank = 0; rank < order.length; rank++) {
                float position = order.length == 1 ? 0.5f : rank / (float) (order.length - 1);
                psi[g][order[rank]] = CENTRE + spread * (position - 0.5f);
            }
        }
        return psi;
    }
}
