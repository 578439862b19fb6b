package io.djlprune.hoyer;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import io.djlprune.graph.ChannelGraph;
import io.djlprune.graph.LayerNode;
import io.djlprune.ops.Conv2dOp;
import io.djlprune.ops.LinearOp;
import io.djlprune.testing.TestModels;
import java.util.Random;
import org.testng.annotations.Test;

/** Hoyer-Square: exact values, range, scale invariance, autograd against finite differences, the zero tensor. */
public class HoyerSquareTest {

    @Test
    public void kEqualNonzerosGiveExactlyK() {
        try (NDManager manager = NDManager.newBaseManager()) {
            for (int k = 1; k <= 9; k++) {
                double[] values = new double[9];
                for (int i = 0; i < k; i++) {
                    values[(i * 4) % 9] = i % 2 == 0 ? 0.5 : -0.5;
                }
                NDArray w = manager.create(values);
                assertEquals(HoyerSquare.of(w).getDouble(), k, 0.0, "k = " + k);
                // float32 too, and a value that is not a power of two
                NDArray w32 = manager.create(values).mul(2.6).toType(DataType.FLOAT32, false);
                assertEquals(HoyerSquare.of(w32).getFloat(), k, 1e-5f * k, "float32, k = " + k);
            }
        }
    }

    @Test
    public void liesBetweenOneAndTheSizeAndIsScaleInvariant() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Random random = new Random(3);
            for (int trial = 0; trial < 5; trial++) {
                double[] values = new double[20];
                for (int i = 0; i < values.length; i++) {
                    values[i] = random.nextGaussian();
                }
                NDArray w = manager.create(values, new Shape(4, 5));
                double hs = HoyerSquare.of(w).getDouble();
                assertTrue(hs >= 1 && hs <= 20, "HS " + hs);
                for (double a : new double[] {3.7, -0.01, 1e4}) {
                    assertEquals(HoyerSquare.of(w.mul(a)).getDouble(), hs, 1e-12 * hs, "scale " + a);
                }
            }
        }
    }

    @Test
    public void autogradMatchesCentralDifferences() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Random random = new Random(5);
            double[] values = new double[12];
            for (int i = 0; i < values.length; i++) {
                values[i] = random.nextGaussian();
            }
            values[3] = 0.002; // a small entry, which HS pushes down
            NDArray w = manager.create(values, new Shape(3, 4));
            w.setRequiresGradient(true);
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                collector.backward(HoyerSquare.of(w));
            }
            double[] gradient = w.getGradient().toDoubleArray();
            double h = 1e-6;
            for (int i = 0; i < values.length; i++) {
                double[] plus = values.clone();
                double[] minus = values.clone();
                plus[i] += h;
                minus[i] -= h;
                double fd =
                        (HoyerSquare.of(manager.create(plus)).getDouble()
                                        - HoyerSquare.of(manager.create(minus)).getDouble())
                                / (2 * h);
                assertEquals(gradient[i], fd, 1e-7 * Math.max(1, Math.abs(fd)), "entry " + i);
            }
            // the documented direction: entries below ‖W‖₂²/‖W‖₁ are shrunk (gradient has their sign)
            assertTrue(gradient[3] > 0, "HS grows with the small positive entry, so descent shrinks it");
        }
    }

    @Test
    public void allZeroTensorGivesZeroAndAFiniteGradient() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray w = manager.zeros(new Shape(6));
            w.setRequiresGradient(true);
            NDArray hs;
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                hs = HoyerSquare.of(w);
                collector.backward(hs);
            }
            assertEquals(hs.getFloat(), 0f);
            for (float g : w.getGradient().toFloatArray()) {
                assertEquals(g, 0f, "gradient at the zero tensor");
            }
        }
    }

    @Test
    public void regularizerSumsEveryConvAndLinearWeight() {
        try (NDManager manager = NDManager.newBaseManager()) {
            ChannelGraph graph = Fixtures.graph(TestModels.lenet5(), new Shape(1, 1, 28, 28), manager);
            double expected = 0;
            int tensors = 0;
            for (LayerNode node : graph.layers()) {
                if (node.op() instanceof Conv2dOp || node.op() instanceof LinearOp) {
                    double l1 = 0;
                    double l2 = 0;
                    for (double v : Fixtures.doubles(Fixtures.param(node, "weight"))) {
                        l1 += Math.abs(v);
                        l2 += v * v;
                    }
                    expected += l1 * l1 / l2;
                    tensors++;
                }
            }
            assertEquals(tensors, 4);
            HoyerSquare regularizer = new HoyerSquare(graph);
            assertEquals(regularizer.getName(), "hoyer_square");
            try (NDManager scope = manager.newSubManager()) {
                assertEquals(regularizer.evaluate(scope).getFloat(), expected, 1e-4 * expected);
            }
        }
    }
}
