package io.djlprune.gate;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertNull;
import static org.testng.Assert.assertTrue;
import static org.testng.Assert.expectThrows;

import org.testng.annotations.Test;

/** ψ warm start: the score order within each group, spread around the reference start, fixed groups untouched. */
public class PsiWarmStartTest {

    @Test
    public void psiFollowsTheScoreRankWithinEachGroup() {
        float[][] scores = {null, {3f, 1f, 2f, 10f}, {0.5f}};
        float[][] psi = PsiWarmStart.fromScores(scores, 0.1f);
        assertNull(psi[0], "a group without gates gets no ψ");
        // ranks 2, 0, 1, 3 of 4 → evenly spaced over [0.005 − 0.05, 0.005 + 0.05]
        assertEquals(psi[1][1], -0.045f, 1e-7);
        assertEquals(psi[1][2], 0.005f - 0.05f / 3, 1e-7);
        assertEquals(psi[1][0], 0.005f + 0.05f / 3, 1e-7);
        assertEquals(psi[1][3], 0.055f, 1e-7);
        assertEquals(psi[2][0], 0.005f, 1e-7, "a single channel sits at the reference centre");
        HeavisideProjection start = new HeavisideProjection(1, 2);
        assertEquals(start.gate(psi[1][1]), 0.69, 0.01, "the lowest-ranked gate starts near the reference z");
        assertEquals(start.gate(psi[1][3]), 0.71, 0.01);
    }

    @Test
    public void tiesKeepChannelOrderAndBadInputIsRefused() {
        float[][] psi = PsiWarmStart.fromScores(new float[][] {{1f, 1f}}, 0.2f);
        assertTrue(psi[0][0] < psi[0][1]);
        expectThrows(IllegalArgumentException.class, () -> PsiWarmStart.fromScores(new float[][] {{1f}}, 0f));
        expectThrows(IllegalArgumentException.class, () -> PsiWarmStart.fromScores(new float[][] {{1f}}, Float.NaN));
        expectThrows(IllegalArgumentException.class, () -> PsiWarmStart.fromScores(new float[][] {{Float.NaN}}, 0.1f));
    }
}
