package io.djlprune.compact;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import io.djlprune.cost.BudgetKind;
import io.djlprune.cost.CostModel;
import io.djlprune.graph.ChannelGraph;
import io.djlprune.graph.ChannelMask;
import io.djlprune.testing.NamedOpClassifier;
import io.djlprune.testing.TestModels;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.testng.Assert;
import org.testng.annotations.DataProvider;
import org.testng.annotations.Test;

/**
 * The compact network computes what the gated network computes in hard mode, and costs exactly what the cost model
 * says the mask costs, for chains, residual adds, concatenations and depthwise layers at random masks.
 */
public class CompactorEquivalenceTest {

    private static final double TOLERANCE = 1e-5;

    @DataProvider
    public Object[][] cases() {
        Object[][] models = {
            {"lenet5", (Function<NamedOpClassifier, Block>) c -> TestModels.lenet5(), new Shape(1, 1, 28, 28)},
            {"vgg", (Function<NamedOpClassifier, Block>) c -> TestModels.vggChain(), new Shape(1, 3, 16, 16)},
            {"residual", (Function<NamedOpClassifier, Block>) TestModels::residual, new Shape(1, 3, 16, 16)},
            {"concat", (Function<NamedOpClassifier, Block>) CompactFixtures::concat, new Shape(1, 3, 8, 8)},
            {"depthwise", (Function<NamedOpClassifier, Block>) CompactFixtures::depthwise, new Shape(1, 3, 8, 8)},
            {"depthwise-bias", (Function<NamedOpClassifier, Block>) CompactFixtures::depthwiseBiasLeak,
                new Shape(1, 3, 8, 8)},
        };
        List<Object[]> cases = new ArrayList<>();
        for (Object[] model : models) {
            for (double fraction : new double[] {0.5, 0.1}) {
                for (long seed : new long[] {1, 2}) {
                    cases.add(new Object[] {model[0], model[1], model[2], fraction, seed});
                }
            }
        }
        return cases.toArray(new Object[0][]);
    }

    @Test(dataProvider = "cases")
    public void compactEqualsGatedNetworkInHardMode(
            String name, Function<NamedOpClassifier, Block> model, Shape input, double fraction, long seed) {
        try (NDManager manager = NDManager.newBaseManager()) {
            NamedOpClassifier classifier = new NamedOpClassifier();
            Block dense = model.apply(classifier);
            ChannelGraph graph = CompactFixtures.prepare(dense, input, classifier, manager, seed);
            ChannelMask mask = CompactFixtures.randomMask(graph, fraction, seed * 31);
            NDArray x = manager.randomNormal(CompactFixtures.batchOf(input, 3));
            NDArray denseBefore = CompactFixtures.infer(dense, x);

            CompactionResult result = CompactFixtures.compact(classifier, manager, dense, graph, mask);

            NDArray expected = CompactFixtures.hardMasked(dense, graph, mask, x);
            NDArray actual = CompactFixtures.infer(result.block(), x);
            double diff = CompactFixtures.maxAbsDiff(expected, actual);
            double effect = CompactFixtures.maxAbsDiff(denseBefore, expected);
            System.out.printf(
                    "%s keep %.1f seed %d: max |gated − compact| = %.3g (the mask moves outputs by %.3g), %d folds%n",
                    name, fraction, seed, diff, effect, result.folds().size());
            Assert.assertTrue(effect > 1e-2, name + ": the mask must change the output for the comparison to matter");
            Assert.assertTrue(
                    diff <= TOLERANCE, name + " " + mask + ": max abs diff " + diff + "\n" + result.describe());
            Assert.assertEquals(CompactFixtures.maxAbsDiff(denseBefore, CompactFixtures.infer(dense, x)), 0.0,
                    "the original network is left unchanged");
            Assert.assertTrue(CompactFixtures.trainableCount(result.block()) < CompactFixtures.trainableCount(dense));
        }
    }

    @Test(dataProvider = "cases")
    public void compactCostEqualsTheMaskCost(
            String name, Function<NamedOpClassifier, Block> model, Shape input, double fraction, long seed) {
        try (NDManager manager = NDManager.newBaseManager()) {
            NamedOpClassifier classifier = new NamedOpClassifier();
            Block dense = model.apply(classifier);
            ChannelGraph graph = CompactFixtures.prepare(dense, input, classifier, manager, seed);
            ChannelMask mask = CompactFixtures.randomMask(graph, fraction, seed * 31);
            CompactionResult result = CompactFixtures.compact(classifier, manager, dense, graph, mask);

            CompactFixtures.mirrorJoins(classifier, dense, result.block());
            ChannelGraph compactGraph =
                    ChannelGraph.builder().setInputShape(input).setClassifier(classifier).build(result.block());
            CostModel denseCost = new CostModel(graph);
            CostModel compactCost = new CostModel(compactGraph);
            for (BudgetKind kind : denseCost.kinds()) {
                Assert.assertEquals(
                        compactCost.full(kind), denseCost.exact(kind, mask), name + " " + kind + " " + mask);
            }
            Assert.assertEquals(
                    CompactFixtures.trainableCount(result.block()), denseCost.exact(BudgetKind.PARAMETERS, mask),
                    name + ": trainable parameters of the compact block");
            Assert.assertEquals(compactGraph.prunableGroups().size(), graph.prunableGroups().size(), name);
        }
    }

}
