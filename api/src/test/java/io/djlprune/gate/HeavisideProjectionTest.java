package io.djlprune.gate;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertThrows;
import static org.testng.Assert.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import org.testng.annotations.Test;

public class HeavisideProjectionTest {

    private static final HeavisideProjection START = new HeavisideProjection(1, 2);

    @Test
    public void workedValuesAtTheStart() {
        assertEquals(START.logistic(0.005), 0.50125, 1e-4);
        // 1 − exp(−2·0.50125) + 0.50125·exp(−2) = 0.70088; ALGORITHMS.md's "≈0.7012" is 3e-4 off this formula.
        assertEquals(START.gate(0.005), 0.70088, 1e-4);
    }

    @Test
    public void halfOpenPointMovesLeftAsGammaGrows() {
        assertEquals(psiWhereGateIsHalf(new HeavisideProjection(1, 2)), -0.82, 0.01);
        assertEquals(psiWhereGateIsHalf(new HeavisideProjection(1, 8)), -2.36, 0.01);
    }

    @Test
    public void heavisideFixesZeroAndOneAndLiesAboveTheLogistic() {
        for (double gamma : new double[] {0.5, 2, 8, 256}) {
            HeavisideProjection p = new HeavisideProjection(1, gamma);
            assertEquals(p.heaviside(0), 0.0, 1e-15);
            assertEquals(p.heaviside(1), 1.0, 1e-15);
            for (double t = 0.01; t < 1; t += 0.01) {
                assertTrue(p.heaviside(t) > t, "z > z̃ at z̃=" + t + ", gamma=" + gamma);
            }
        }
        assertEquals(START.logistic(-1000), 0.0, 0.0);
        assertEquals(START.logistic(1000), 1.0, 0.0);
    }

    @Test
    public void rejectsNonPositiveOrInfiniteScalars() {
        assertThrows(IllegalArgumentException.class, () -> new HeavisideProjection(0, 2));
        assertThrows(IllegalArgumentException.class, () -> new HeavisideProjection(1, -1));
        assertThrows(IllegalArgumentException.class, () -> new HeavisideProjection(Double.NaN, 2));
        assertThrows(IllegalArgumentException.class, () -> new HeavisideProjection(1, Double.POSITIVE_INFINITY));
    }

    @Test
    public void arrayVersionsEqualTheScalarOnes() {
        HeavisideProjection p = new HeavisideProjection(1.4, 11.3);
        double[] psi = {-3, -0.8, -0.01, 0, 0.005, 0.3, 2.5};
        try (NDManager manager = NDManager.newBaseManager()) {
            double[] logistic = p.logistic(manager.create(psi)).toDoubleArray();
            double[] gate = p.gate(manager.create(psi)).toDoubleArray();
            for (int i = 0; i < psi.length; i++) {
                assertEquals(logistic[i], p.logistic(psi[i]), 1e-12, "logistic at " + psi[i]);
                assertEquals(gate[i], p.gate(psi[i]), 1e-12, "gate at " + psi[i]);
            }
        }
    }

    @Test
    public void gradientMatchesFiniteDifference() {
        HeavisideProjection p = new HeavisideProjection(1.2, 5.6);
        double[] psi = {-2, -0.5, 0.005, 0.7};
        double h = 1e-6;
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray x = manager.create(psi);
            x.setRequiresGradient(true);
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                collector.backward(p.gate(x).sum());
            }
            double[] grad = x.getGradient().toDoubleArray();
            for (int i = 0; i < psi.length; i++) {
                double expected = (p.gate(psi[i] + h) - p.gate(psi[i] - h)) / (2 * h);
                assertTrue(Math.abs(expected) > 1e-3, "the check must not compare two zeros");
                assertEquals(grad[i], expected, 1e-7, "dz/dpsi at " + psi[i]);
            }
        }
    }

    @Test
    public void gradientStaysFiniteForFarLogits() {
        HeavisideProjection p = new HeavisideProjection(6, 256);
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray x = manager.create(new float[] {-200f, 200f});
            x.setRequiresGradient(true);
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                collector.backward(p.gate(x).sum());
            }
            for (float g : x.getGradient().toFloatArray()) {
                assertTrue(Float.isFinite(g), "gradient " + g);
            }
        }
    }

    /** Bisection on the increasing function ψ ↦ z(ψ). */
    private static double psiWhereGateIsHalf(HeavisideProjection p) {
        double lo = -10;
        double hi = 10;
        for (int i = 0; i < 100; i++) {
            double mid = (lo + hi) / 2;
            if (p.gate(mid) < 0.5) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        return (lo + hi) / 2;
    }
}
