package io.djlprune.gate;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertFalse;
import static org.testng.Assert.assertThrows;
import static org.testng.Assert.assertTrue;
import static org.testng.Assert.expectThrows;

import org.testng.annotations.Test;

public class GateScheduleTest {

    private final GateSchedule reference = GateSchedule.reference();

    @Test
    public void epochZeroIsTheStart() {
        HeavisideProjection start = reference.projectionAt(0);
        assertEquals(start.beta(), 1.0);
        assertEquals(start.gamma(), 2.0);
        assertEquals(reference.steepnessAt(0), 10.0);
        assertFalse(reference.isGammaAnnealedPerStep());
    }

    @Test
    public void betaGrowsByTwoHundredthsPerEpochUpToSix() {
        assertEquals(reference.betaAt(20), 1.40, 1e-12);
        assertEquals(reference.betaAt(250), 6.0, 1e-12);
        assertEquals(reference.betaAt(1000), 6.0);
    }

    @Test
    public void gammaReachesItsCapAtEpochFourteen() {
        assertEquals(reference.gammaAt(1), 2 * Math.sqrt(2), 1e-12);
        assertTrue(reference.gammaAt(13) < 255, "gamma(13) = " + reference.gammaAt(13));
        assertEquals(reference.gammaAt(14), 256.0, 1e-9);
        assertEquals(reference.gammaAt(15), 256.0);
        assertEquals(reference.gammaAt(10_000), 256.0);
    }

    @Test
    public void steepnessGrowsByFiveUpToSixtyAndSpreadsOverSteps() {
        assertEquals(reference.steepnessAt(1), 15.0);
        assertEquals(reference.steepnessAt(10), 60.0);
        assertEquals(reference.steepnessAt(11), 60.0);
        assertEquals(reference.steepnessAt(2, 0, 100), 20.0, 1e-12);
        assertEquals(reference.steepnessAt(2, 50, 100), 22.5, 1e-12);
        assertEquals(reference.steepnessAt(2, 99, 100), 24.95, 1e-12);
        assertEquals(reference.steepnessAt(9, 50, 100), 57.5, 1e-12);
        assertEquals(reference.steepnessAt(10, 50, 100), 60.0, 1e-12);
    }

    @Test
    public void perStepGammaAnnealingReachesTheCapAtTheChosenStep() {
        GateSchedule schedule = GateSchedule.builder().optGammaStepAnnealing(1000).build();
        assertTrue(schedule.isGammaAnnealedPerStep());
        assertEquals(schedule.gammaAtStep(0), 2.0, 1e-12);
        // Geometric: half-way in steps is the geometric mean of 2 and 256.
        assertEquals(schedule.gammaAtStep(500), Math.sqrt(2 * 256), 1e-9);
        assertEquals(schedule.gammaAtStep(1000), 256.0, 1e-9);
        assertEquals(schedule.gammaAtStep(5000), 256.0, 1e-9);
        HeavisideProjection p = schedule.projectionAt(2, 50, 100);
        assertEquals(p.gamma(), schedule.gammaAtStep(250), 1e-12);
        assertEquals(p.beta(), 1.04, 1e-12);
        IllegalStateException e = expectThrows(IllegalStateException.class, () -> schedule.projectionAt(3));
        assertTrue(e.getMessage().contains("per step"), e.getMessage());
    }

    @Test
    public void perEpochProjectionIgnoresTheStepInside() {
        HeavisideProjection p = reference.projectionAt(3, 7, 10);
        assertEquals(p, reference.projectionAt(3));
        assertThrows(IllegalStateException.class, () -> reference.gammaAtStep(10));
    }

    @Test
    public void customSettingsAreUsed() {
        GateSchedule s =
                GateSchedule.builder()
                        .optBetaStart(2)
                        .optBetaStep(0.5)
                        .optBetaCap(3)
                        .optGammaStart(4)
                        .optGammaFactor(2)
                        .optGammaCap(64)
                        .optSteepnessStart(1)
                        .optSteepnessStep(0)
                        .optSteepnessCap(1)
                        .build();
        assertEquals(s.betaAt(1), 2.5);
        assertEquals(s.betaAt(5), 3.0);
        assertEquals(s.gammaAt(2), 16.0);
        assertEquals(s.gammaAt(9), 64.0);
        assertEquals(s.steepnessAt(7, 3, 4), 1.0);
    }

    @Test
    public void invalidSettingsAreRejectedWithTheirName() {
        assertMessage(() -> GateSchedule.builder().optBetaStep(-0.02), "betaStep");
        assertMessage(() -> GateSchedule.builder().optSteepnessStep(-1), "steepnessStep");
        assertMessage(() -> GateSchedule.builder().optBetaStart(0), "betaStart");
        assertMessage(() -> GateSchedule.builder().optGammaFactor(0.9), "gammaFactor");
        assertMessage(() -> GateSchedule.builder().optGammaCap(Double.NaN), "gammaCap");
        assertMessage(() -> GateSchedule.builder().optGammaStepAnnealing(0), "annealing steps");
        assertMessage(() -> GateSchedule.builder().optBetaCap(0.5).build(), "beta cap");
        assertMessage(() -> GateSchedule.builder().optGammaStart(300).build(), "gamma cap");
        assertMessage(() -> GateSchedule.builder().optSteepnessCap(5).build(), "steepness cap");
        assertMessage(() -> reference.betaAt(-1), "epoch");
        assertMessage(() -> reference.steepnessAt(0, 5, 5), "stepInEpoch");
        assertMessage(() -> reference.projectionAt(0, 0, 0), "stepsPerEpoch");
    }

    private static void assertMessage(org.testng.Assert.ThrowingRunnable call, String fragment) {
        IllegalArgumentException e = expectThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().contains(fragment), e.getMessage());
    }
}
