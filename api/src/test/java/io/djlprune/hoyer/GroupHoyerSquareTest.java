package io.djlprune.hoyer;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertFalse;
import static org.testng.Assert.assertNotEquals;
import static org.testng.Assert.assertThrows;
import static org.testng.Assert.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.util.Pair;
import io.djlprune.graph.ChannelGraph;
import io.djlprune.graph.ChannelGroup;
import io.djlprune.graph.LayerNode;
import io.djlprune.regularize.ChannelWeights;
import io.djlprune.testing.NamedOpClassifier;
import io.djlprune.testing.TestModels;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.testng.annotations.Test;

/** Group-HS per channel group: values, scale invariance, gradients, the all-zero group, tied residual groups. */
public class GroupHoyerSquareTest {

    @Test
    public void kEqualGroupsGiveExactlyK() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray squares = manager.create(new double[] {0, 4, 0, 4, 4, 0});
            assertEquals(GroupHoyerSquare.of(squares, 0f).getDouble(), 3.0, 0.0);
            // ε counts √ε for each zero group: (3·2 + 3·1e-6)² / (12 + 6e-12) = 3 + 3e-6
            assertEquals(GroupHoyerSquare.of(squares, 1e-12f).getDouble(), 3.0 + 3e-6, 1e-9);
            assertThrows(IllegalArgumentException.class, () -> GroupHoyerSquare.of(squares, -1f));
        }
    }

    @Test
    public void valueIsTheDirectSumOverPrunableGroupsWithTheFlattenMultiplier() {
        try (NDManager manager = NDManager.newBaseManager()) {
            ChannelGraph graph = Fixtures.graph(Fixtures.smallChain(), Fixtures.SMALL_INPUT, manager);
            List<ChannelGroup> prunable = graph.prunableGroups();
            assertEquals(prunable.stream().map(ChannelGroup::size).toList(), List.of(3, 4, 5), graph.describe());
            LayerNode conv1 = prunable.get(0).producers().get(0);
            LayerNode bn1 = prunable.get(0).batchNorms().get(0);
            LayerNode conv2 = prunable.get(1).producers().get(0);
            LayerNode bn2 = prunable.get(1).batchNorms().get(0);
            LayerNode fc1 = prunable.get(2).producers().get(0);
            LayerNode fc2 = prunable.get(2).consumers().get(0);
            double eps = 1e-8f;
            // group of conv 1: filters = conv1 rows (2·3·3 each) + γ1; channels = conv2 input slices (4·3·3 each)
            double expected =
                    hoyer(add(rowSquares(conv1, 3), squares(bn1, "gamma")), eps)
                            + hoyer(columnSquares(conv2, 3, 1, 9), eps);
            // group of conv 2: filters = conv2 rows + γ2; channels = fc1 columns [16c, 16c + 16)
            expected +=
                    hoyer(add(rowSquares(conv2, 4), squares(bn2, "gamma")), eps)
                            + hoyer(columnSquares(fc1, 4, 16, 1), eps);
            // group of fc 1: filters = fc1 rows; channels = fc2 columns. The input and output groups are fixed.
            expected += hoyer(rowSquares(fc1, 5), eps) + hoyer(columnSquares(fc2, 5, 1, 1), eps);

            GroupHoyerSquare regularizer = new GroupHoyerSquare(graph);
            try (NDManager scope = manager.newSubManager()) {
                assertEquals(regularizer.evaluate(scope).getFloat(), expected, 1e-5 * expected);
            }
        }
    }

    @Test
    public void scaleInvariantInEveryWeight() {
        try (NDManager manager = NDManager.newBaseManager()) {
            ChannelGraph graph =
                    Fixtures.graph(
                            Fixtures.smallChain(), Fixtures.SMALL_INPUT, new NamedOpClassifier(), manager,
                            DataType.FLOAT64);
            randomiseGammas(graph, 7);
            GroupHoyerSquare regularizer = new GroupHoyerSquare(graph, 1e-30f);
            double before = regularizer.evaluate(manager).getDouble();
            for (LayerNode node : graph.layers()) {
                for (Pair<String, Parameter> pair : node.block().getParameters()) {
                    // every parameter, running statistics included: G must not depend on any scale
                    NDArray array = pair.getValue().getArray();
                    array.set(array.mul(-3.5).toDoubleArray());
                }
            }
            double after = regularizer.evaluate(manager).getDouble();
            assertEquals(after, before, 1e-12 * before);
        }
    }

    @Test
    public void autogradMatchesCentralDifferences() {
        try (NDManager manager = NDManager.newBaseManager()) {
            ChannelGraph graph =
                    Fixtures.graph(
                            Fixtures.smallChain(), Fixtures.SMALL_INPUT, new NamedOpClassifier(), manager,
                            DataType.FLOAT64);
            randomiseGammas(graph, 11);
            GroupHoyerSquare regularizer = new GroupHoyerSquare(graph);
            List<NDArray> params = new ArrayList<>();
            for (LayerNode node : graph.layers()) {
                for (String name : List.of("weight", "gamma")) {
                    if (node.block().getParameters().contains(name)) {
                        params.add(Fixtures.param(node, name));
                    }
                }
            }
            assertEquals(params.size(), 6, "4 weights and 2 γ");
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                collector.backward(regularizer.evaluate(manager));
            }
            Random random = new Random(13);
            double h = 1e-6;
            int checked = 0;
            for (NDArray param : params) {
                double[] gradient = param.getGradient().toDoubleArray();
                double[] values = param.toDoubleArray();
                boolean anyNonzero = false;
                for (int trial = 0; trial < 6; trial++) {
                    int i = random.nextInt(values.length);
                    double saved = values[i];
                    values[i] = saved + h;
                    param.set(values);
                    double plus = regularizer.evaluate(manager).getDouble();
                    values[i] = saved - h;
                    param.set(values);
                    double minus = regularizer.evaluate(manager).getDouble();
                    values[i] = saved;
                    param.set(values);
                    double fd = (plus - minus) / (2 * h);
                    assertEquals(gradient[i], fd, 1e-6 * Math.max(1, Math.abs(fd)), param.getShape() + " entry " + i);
                    anyNonzero |= Math.abs(fd) > 1e-8;
                    checked++;
                }
                assertTrue(anyNonzero, "the regulariser depends on every checked parameter " + param.getShape());
            }
            assertEquals(checked, 36);
        }
    }

    @Test
    public void allZeroGroupHasFiniteGradientsWhereThePlainNormGivesNaN() {
        try (NDManager manager = NDManager.newBaseManager()) {
            ChannelGraph graph = Fixtures.graph(Fixtures.smallChain(), Fixtures.SMALL_INPUT, manager);
            ChannelGroup group = graph.prunableGroups().get(1);
            LayerNode conv2 = group.producers().get(0);
            LayerNode bn2 = group.batchNorms().get(0);
            LayerNode fc1 = group.consumers().get(0);
            // channel 2 is removed everywhere: its filter, its γ and the 16 features fc 1 reads from it
            Fixtures.param(conv2, "weight").set(new NDIndex("2"), 0);
            Fixtures.param(bn2, "gamma").set(new NDIndex("2"), 0);
            Fixtures.param(fc1, "weight").set(new NDIndex(":, 32:48"), 0);

            GroupHoyerSquare regularizer = new GroupHoyerSquare(graph);
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                collector.backward(regularizer.evaluate(manager));
            }
            for (NDArray param :
                    List.of(Fixtures.param(conv2, "weight"), Fixtures.param(bn2, "gamma"),
                            Fixtures.param(fc1, "weight"))) {
                for (float g : param.getGradient().toFloatArray()) {
                    assertTrue(Float.isFinite(g), "gradient " + g + " of " + param.getShape());
                }
            }

            // the reference's plain norm √(Σw²) on the same zero group: 0 · ∞ = NaN
            NDArray w = manager.create(new float[] {0, 0, 1, 2}, new Shape(2, 2));
            w.setRequiresGradient(true);
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                collector.backward(GroupHoyerSquare.of(w.square().sum(new int[] {1}), 0f));
            }
            assertTrue(Float.isNaN(w.getGradient().toFloatArray()[0]), "ε = 0 is what breaks the reference");
        }
    }

    @Test
    public void tiedResidualProducersFormOneGroup() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NamedOpClassifier classifier = new NamedOpClassifier();
            ChannelGraph graph =
                    Fixtures.graph(
                            TestModels.residual(classifier), new Shape(1, 3, 16, 16), classifier, manager,
                            DataType.FLOAT32);
            ChannelGroup tied = graph.prunableGroups().get(3);
            assertEquals(tied.producers().size(), 2, tied.describe());
            GroupHoyerSquare regularizer = new GroupHoyerSquare(graph);
            double[] before = filterSquares(manager, tied);
            double[] expected = add(add(rowSquares(tied.producers().get(0), 16), rowSquares(tied.producers().get(1), 16)),
                    add(squares(tied.batchNorms().get(0), "gamma"), squares(tied.batchNorms().get(1), "gamma")));
            for (int c = 0; c < 16; c++) {
                assertEquals(before[c], expected[c], 1e-5 * expected[c], "channel " + c);
            }
            float termBefore = groupTerm(manager, regularizer, tied);
            for (int p = 0; p < 2; p++) {
                LayerNode producer = tied.producers().get(p);
                double rowBefore = rowSquares(producer, 16)[5];
                NDArray weight = Fixtures.param(producer, "weight");
                weight.set(new NDIndex("5"), weight.get("5").mul(3));
                double[] after = filterSquares(manager, tied);
                for (int c = 0; c < 16; c++) {
                    // tripling a row adds 8 times its Σw² to that channel's group, and nothing elsewhere
                    double delta = c == 5 ? 8 * rowBefore : 0;
                    assertEquals(after[c], before[c] + delta, 1e-5 * after[c], "producer " + p + ", channel " + c);
                }
                assertTrue(rowBefore > 0, "producer " + p + " has weights in channel 5");
                float termAfter = groupTerm(manager, regularizer, tied);
                assertNotEquals(termAfter, termBefore, "producer " + p + " changes the tied group's term");
                before = after;
                termBefore = termAfter;
            }
            assertFalse(graph.group(0).prunable(), "the network input is not regularised");
        }
    }

    @Test
    public void refusesANonPositiveEpsilon() {
        try (NDManager manager = NDManager.newBaseManager()) {
            ChannelGraph graph = Fixtures.graph(Fixtures.smallChain(), Fixtures.SMALL_INPUT, manager);
            IllegalArgumentException e =
                    expectThrows(() -> new GroupHoyerSquare(graph, 0f));
            assertTrue(e.getMessage().contains("ε"), e.getMessage());
            expectThrows(() -> new GroupHoyerSquare(graph, Float.NaN));
        }
    }

    private static IllegalArgumentException expectThrows(org.testng.Assert.ThrowingRunnable runnable) {
        return org.testng.Assert.expectThrows(IllegalArgumentException.class, runnable);
    }

    private static double[] filterSquares(NDManager manager, ChannelGroup group) {
        try (NDManager scope = manager.newSubManager()) {
            return Fixtures.doubles(new ChannelWeights(scope).filterSquares(group));
        }
    }

    private static float groupTerm(NDManager manager, GroupHoyerSquare regularizer, ChannelGroup group) {
        try (NDManager scope = manager.newSubManager()) {
            return regularizer.evaluate(new ChannelWeights(scope), group).getFloat();
        }
    }

    private static void randomiseGammas(ChannelGraph graph, long seed) {
        Random random = new Random(seed);
        for (ChannelGroup group : graph.prunableGroups()) {
            for (LayerNode bn : group.batchNorms()) {
                NDArray gamma = Fixtures.param(bn, "gamma");
                double[] values = new double[(int) gamma.size()];
                for (int i = 0; i < values.length; i++) {
                    values[i] = 0.5 + random.nextDouble();
                }
                gamma.set(values);
            }
        }
    }

    /** Hoyer-Square of the group norms √(s + ε), computed in doubles. */
    static double hoyer(double[] squares, double eps) {
        double l1 = 0;
        double l2 = 0;
        for (double s : squares) {
            l1 += Math.sqrt(s + eps);
            l2 += s + eps;
        }
        return l1 * l1 / l2;
    }

    static double[] add(double[] a, double[] b) {
        double[] sum = a.clone();
        for (int i = 0; i < sum.length; i++) {
            sum[i] += b[i];
        }
        return sum;
    }

    /** Σw² of each of the first axis's rows. */
    static double[] rowSquares(LayerNode node, int rows) {
        double[] values = Fixtures.doubles(Fixtures.param(node, "weight"));
        int perRow = values.length / rows;
        double[] sums = new double[rows];
        for (int i = 0; i < values.length; i++) {
            sums[i / perRow] += values[i] * values[i];
        }
        return sums;
    }

    static double[] squares(LayerNode node, String name) {
        double[] values = Fixtures.doubles(Fixtures.param(node, name));
        for (int i = 0; i < values.length; i++) {
            values[i] *= values[i];
        }
        return values;
    }

    /**
     * Σw² per channel of a consumer's weight (out, in, [k…]): channel c owns inputs [c·multiplier, (c+1)·multiplier)
     * and each input position has {@code inner} trailing entries (kernel positions).
     */
    static double[] columnSquares(LayerNode node, int channels, int multiplier, int inner) {
        double[] values = Fixtures.doubles(Fixtures.param(node, "weight"));
        int inputs = channels * multiplier;
        double[] sums = new double[channels];
        for (int i = 0; i < values.length; i++) {
            int input = (i / inner) % inputs;
            sums[input / multiplier] += values[i] * values[i];
        }
        return sums;
    }
}
