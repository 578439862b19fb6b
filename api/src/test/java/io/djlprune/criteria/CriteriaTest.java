package io.djlprune.criteria;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertNotEquals;
import static org.testng.Assert.assertNull;
import static org.testng.Assert.assertTrue;
import static org.testng.Assert.expectThrows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import io.djlprune.cost.Budget;
import io.djlprune.cost.BudgetKind;
import io.djlprune.cost.CostModel;
import io.djlprune.graph.ChannelGraph;
import io.djlprune.graph.ChannelGroup;
import io.djlprune.graph.ChannelMask;
import io.djlprune.graph.LayerNode;
import io.djlprune.mask.MaskSelector;
import java.util.List;
import java.util.function.Function;
import org.testng.annotations.Test;

/** The baseline channel criteria: shapes, what they measure, determinism, and budget-exact masks from their scores. */
public class CriteriaTest {

    private static final List<Function<ChannelGraph, ChannelScorer>> WEIGHT_CRITERIA =
            List.of(
                    g -> new L1FilterNorm(),
                    g -> new GroupNormScore(false),
                    g -> new GroupNormScore(true),
                    GroupLasso::new,
                    g -> new RandomScores(42));

    @Test
    public void everyCriterionScoresEveryPrunableChannelOfLenetAndTheResidualNetwork() {
        try (NDManager manager = NDManager.newBaseManager()) {
            for (ChannelGraph graph : List.of(Graphs.lenet5(manager), Graphs.residual(manager))) {
                boolean hasBatchNorm = graph.prunableGroups().stream().allMatch(g -> !g.batchNorms().isEmpty());
                for (Function<ChannelGraph, ChannelScorer> make : WEIGHT_CRITERIA) {
                    checkShape(graph, make.apply(graph));
                }
                if (hasBatchNorm) {
                    checkShape(graph, new BatchNormScale());
                }
            }
        }
    }

    @Test
    public void batchNormScaleRefusesANetworkWithoutBatchNorm() {
        try (NDManager manager = NDManager.newBaseManager()) {
            ChannelGraph graph = Graphs.lenet5(manager);
            IllegalArgumentException e =
                    expectThrows(IllegalArgumentException.class, () -> new BatchNormScale().score(graph));
            assertTrue(e.getMessage().contains("no BatchNorm") && e.getMessage().contains("Group 1"), e.getMessage());
        }
    }

    @Test
    public void l1IsTheSumOfAbsoluteFilterWeightsAndRanksALargerFilterHigher() {
        try (NDManager manager = NDManager.newBaseManager()) {
            ChannelGraph graph = Graphs.lenet5(manager);
            ChannelGroup conv1 = graph.prunableGroups().get(0);
            NDArray weight = Graphs.param(conv1.producers().get(0), "weight");
            weight.set(new NDIndex("7"), weight.get("7").mul(10));
            float[] scores = new L1FilterNorm().score(graph)[conv1.id()];
            double[] direct = Graphs.rowSums(conv1.producers().get(0), 20, false);
            int best = 0;
            for (int c = 0; c < 20; c++) {
                assertEquals(scores[c], direct[c], 1e-5 * direct[c], "filter " + c);
                best = scores[c] > scores[best] ? c : best;
            }
            assertEquals(best, 7);

            // a residual-tied channel is judged by its filters in both producers
            ChannelGraph residual = Graphs.residual(manager);
            ChannelGroup tied = residual.prunableGroups().get(3);
            float[] tiedScores = new L1FilterNorm().score(residual)[tied.id()];
            double[] first = Graphs.rowSums(tied.producers().get(0), 16, false);
            double[] second = Graphs.rowSums(tied.producers().get(1), 16, false);
            for (int c = 0; c < 16; c++) {
                assertEquals(tiedScores[c], first[c] + second[c], 1e-5 * (first[c] + second[c]), "channel " + c);
            }
        }
    }

    @Test
    public void batchNormScaleIsTheAbsoluteGammaSummedOverTiedBatchNorms() {
        try (NDManager manager = NDManager.newBaseManager()) {
            ChannelGraph graph = Graphs.residual(manager);
            int bnIndex = 0;
            for (LayerNode node : graph.layers()) {
                if (node.block().getParameters().contains("gamma")) {
                    NDArray gamma = Graphs.param(node, "gamma");
                    float[] values = new float[(int) gamma.size()];
                    for (int c = 0; c < values.length; c++) {
                        values[c] = (c % 2 == 0 ? 1 : -1) * (0.1f * c + bnIndex);
                    }
                    gamma.set(values);
                    bnIndex++;
                }
            }
            float[][] scores = new BatchNormScale().score(graph);
            for (ChannelGroup group : graph.prunableGroups()) {
                for (int c = 0; c < group.size(); c++) {
                    double expected = 0;
                    for (LayerNode bn : group.batchNorms()) {
                        expected += Math.abs(Graphs.param(bn, "gamma").getFloat(c));
                    }
                    assertEquals(scores[group.id()][c], expected, 1e-5, "group " + group.id() + " channel " + c);
                }
            }
            assertEquals(graph.prunableGroups().get(0).batchNorms().size(), 2, "the stem group is tied");
        }
    }

    @Test
    public void groupNormWithConsumersMultipliesFilterAndChannelNorms() {
        try (NDManager manager = NDManager.newBaseManager()) {
            ChannelGraph graph = Graphs.lenet5(manager);
            ChannelGroup conv2 = graph.prunableGroups().get(1);
            double[] filters = Graphs.rowSums(conv2.producers().get(0), 50, true);
            double[] channels = Graphs.columnSquares(conv2.consumers().get(0), 50, 16, 1);
            float[] plain = new GroupNormScore(false).score(graph)[conv2.id()];
            float[] both = new GroupNormScore(true).score(graph)[conv2.id()];
            float[] lasso = new GroupLasso(graph).score(graph)[conv2.id()];
            for (int c = 0; c < 50; c++) {
                double norm = Math.sqrt(filters[c]);
                assertEquals(plain[c], norm, 1e-5 * norm);
                assertEquals(lasso[c], plain[c], 0f, "group lasso ranks by the filter-group norm");
                double product = norm * Math.sqrt(channels[c]);
                assertEquals(both[c], product, 1e-5 * product);
            }
        }
    }

    @Test
    public void randomScoresAreDeterministicPerSeed() {
        try (NDManager manager = NDManager.newBaseManager()) {
            ChannelGraph graph = Graphs.residual(manager);
            float[][] first = new RandomScores(7).score(graph);
            assertEquals(new RandomScores(7).score(graph), first);
            float[][] other = new RandomScores(8).score(graph);
            assertNotEquals(other[1], first[1]);
        }
    }

    @Test
    public void everyCriterionMeetsAFlopsBudgetOfHalfThroughTheMaskSelector() {
        try (NDManager manager = NDManager.newBaseManager()) {
            for (ChannelGraph graph : List.of(Graphs.lenet5(manager), Graphs.residual(manager))) {
                CostModel cost = new CostModel(graph);
                Budget budget = new Budget(BudgetKind.FLOPS, 0.5);
                List<ChannelScorer> scorers = new java.util.ArrayList<>();
                WEIGHT_CRITERIA.forEach(make -> scorers.add(make.apply(graph)));
                if (graph.prunableGroups().stream().allMatch(g -> !g.batchNorms().isEmpty())) {
                    scorers.add(new BatchNormScale());
                }
                for (ChannelScorer scorer : scorers) {
                    ChannelMask mask = MaskSelector.builder().build().select(cost, budget, scorer.score(graph));
                    double ratio = cost.ratio(BudgetKind.FLOPS, mask);
                    assertTrue(ratio <= 0.5 && ratio > 0.45, scorer.getName() + " FLOPs ratio " + ratio);
                }
            }
        }
    }

    private static void checkShape(ChannelGraph graph, ChannelScorer scorer) {
        float[][] scores = scorer.score(graph);
        assertEquals(scores.length, graph.groups().size(), scorer.getName());
        for (ChannelGroup group : graph.groups()) {
            if (!group.prunable()) {
                assertNull(scores[group.id()], scorer.getName() + " scores fixed group " + group.id());
                continue;
            }
            assertEquals(scores[group.id()].length, group.size(), scorer.getName() + " group " + group.id());
            for (float s : scores[group.id()]) {
                assertTrue(Float.isFinite(s) && s >= 0, scorer.getName() + " score " + s);
            }
        }
    }
}
