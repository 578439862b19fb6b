package io.djlprune.criteria;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertTrue;
import static org.testng.Assert.expectThrows;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.loss.Loss;
import io.djlprune.graph.ChannelGraph;
import io.djlprune.graph.ChannelGroup;
import io.djlprune.graph.LayerNode;
import io.djlprune.hoyer.GroupHoyerSquare;
import io.djlprune.regularize.RegularizedLoss;
import org.testng.annotations.Test;

/** Network Slimming's L1 on γ and SSL's group lasso: exact values, metrics, finite gradients, refused knobs. */
public class RegularizedBaselinesTest {

    @Test
    public void slimmingLossAddsLambdaTimesTheL1OfPrunableGammas() {
        try (NDManager manager = NDManager.newBaseManager()) {
            ChannelGraph graph = Graphs.residual(manager);
            double l1 = 0;
            for (ChannelGroup group : graph.prunableGroups()) {
                for (LayerNode bn : group.batchNorms()) {
                    NDArray gamma = Graphs.param(bn, "gamma");
                    gamma.set(manager.randomNormal(gamma.getShape()).toFloatArray());
                    for (float g : gamma.toFloatArray()) {
                        l1 += Math.abs(g);
                    }
                }
            }
            NDList labels = new NDList(manager.create(new float[] {1, 4}));
            NDList predictions = new NDList(manager.randomNormal(new Shape(2, 10)));
            float base = Loss.softmaxCrossEntropyLoss().evaluate(labels, predictions).getFloat();

            SlimmingRegularizedLoss byDefault = new SlimmingRegularizedLoss(graph);
            assertEquals(byDefault.getWeight(), 1e-4f);
            SlimmingRegularizedLoss loss = new SlimmingRegularizedLoss(graph, Loss.softmaxCrossEntropyLoss(), 0.01f);
            assertEquals(loss.evaluate(labels, predictions).getFloat(), base + 0.01 * l1, 1e-5 * l1);
            Loss metric = loss.regularizerMetric();
            assertEquals(metric.getName(), "bn_l1");
            assertEquals(metric.evaluate(labels, predictions).getFloat(), l1, 1e-5 * l1);
        }
    }

    @Test
    public void groupLassoIsTheSumOfFilterAndChannelGroupNorms() {
        try (NDManager manager = NDManager.newBaseManager()) {
            ChannelGraph graph = Graphs.lenet5(manager);
            LayerNode conv1 = graph.prunableGroups().get(0).producers().get(0);
            LayerNode conv2 = graph.prunableGroups().get(1).producers().get(0);
            LayerNode fc1 = graph.prunableGroups().get(2).producers().get(0);
            LayerNode fc2 = graph.prunableGroups().get(2).consumers().get(0);
            double eps = GroupHoyerSquare.DEFAULT_EPSILON;
            double expected =
                    norms(Graphs.rowSums(conv1, 20, true), eps)
                            + norms(Graphs.columnSquares(conv2, 20, 1, 25), eps)
                            + norms(Graphs.rowSums(conv2, 50, true), eps)
                            + norms(Graphs.columnSquares(fc1, 50, 16, 1), eps)
                            + norms(Graphs.rowSums(fc1, 500, true), eps)
                            + norms(Graphs.columnSquares(fc2, 500, 1, 1), eps);
            GroupLasso lasso = new GroupLasso(graph);
            assertEquals(lasso.getName(), "group_lasso");
            try (NDManager scope = manager.newSubManager()) {
                assertEquals(lasso.evaluate(scope).getFloat(), expected, 1e-5 * expected);
            }
            RegularizedLoss loss = lasso.newLoss(Loss.softmaxCrossEntropyLoss(), 0.5f);
            assertEquals(loss.getWeight(), 0.5f);
            assertEquals(loss.getRegularizer(), lasso);
        }
    }

    @Test
    public void groupLassoHasFiniteGradientsAtAnAllZeroGroup() {
        try (NDManager manager = NDManager.newBaseManager()) {
            ChannelGraph graph = Graphs.lenet5(manager);
            LayerNode conv1 = graph.prunableGroups().get(0).producers().get(0);
            LayerNode conv2 = graph.prunableGroups().get(1).producers().get(0);
            Graphs.param(conv1, "weight").set(new NDIndex("3"), 0);
            Graphs.param(conv2, "weight").set(new NDIndex(":, 3"), 0);
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                collector.backward(new GroupLasso(graph).evaluate(manager));
            }
            for (LayerNode node : new LayerNode[] {conv1, conv2}) {
                for (float g : Graphs.param(node, "weight").getGradient().toFloatArray()) {
                    assertTrue(Float.isFinite(g), node.path() + " gradient " + g);
                }
            }
        }
    }

    @Test
    public void negativeOrNonFiniteLambdasAreRefused() {
        try (NDManager manager = NDManager.newBaseManager()) {
            ChannelGraph residual = Graphs.residual(manager);
            for (float lambda : new float[] {-1e-4f, Float.NaN, Float.NEGATIVE_INFINITY}) {
                IllegalArgumentException e =
                        expectThrows(
                                IllegalArgumentException.class,
                                () -> new SlimmingRegularizedLoss(residual, Loss.softmaxCrossEntropyLoss(), lambda));
                assertTrue(e.getMessage().contains("slimming λ") && e.getMessage().contains("≥ 0"), e.getMessage());
                e =
                        expectThrows(
                                IllegalArgumentException.class,
                                () -> new GroupLasso(residual).newLoss(Loss.softmaxCrossEntropyLoss(), lambda));
                assertTrue(e.getMessage().contains("group lasso λ"), e.getMessage());
            }
            ChannelGraph lenet = Graphs.lenet5(manager);
            IllegalArgumentException e =
                    expectThrows(IllegalArgumentException.class, () -> new SlimmingRegularizedLoss(lenet));
            assertTrue(e.getMessage().contains("BatchNorm"), e.getMessage());
        }
    }

    private static double norms(double[] squares, double eps) {
        double sum = 0;
        for (double s : squares) {
            sum += Math.sqrt(s + eps);
        }
        return sum;
    }
}
