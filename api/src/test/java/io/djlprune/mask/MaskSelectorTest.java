package io.djlprune.mask;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import io.djlprune.cost.Budget;
import io.djlprune.cost.BudgetKind;
import io.djlprune.cost.CostModel;
import io.djlprune.graph.ChannelGraph;
import io.djlprune.graph.ChannelGroup;
import io.djlprune.graph.ChannelMask;
import io.djlprune.testing.ChannelValues;
import io.djlprune.testing.NamedOpClassifier;
import io.djlprune.testing.TestModels;
import java.util.Random;
import org.testng.Assert;
import org.testng.annotations.AfterClass;
import org.testng.annotations.BeforeClass;
import org.testng.annotations.Test;

/** The selector never exceeds the budget, never empties a group, and leaves no removed channel that would still fit. */
public class MaskSelectorTest {

    private NDManager manager;
    private CostModel lenet;
    private CostModel residual;

    @BeforeClass
    public void setUp() {
        manager = NDManager.newBaseManager();
        lenet = costOf(TestModels.lenet5(), new NamedOpClassifier(), new Shape(1, 1, 28, 28));
        NamedOpClassifier classifier = new NamedOpClassifier();
        residual = costOf(TestModels.residual(classifier), classifier, new Shape(1, 3, 16, 16));
    }

    @AfterClass
    public void tearDown() {
        manager.close();
    }

    private CostModel costOf(Block block, NamedOpClassifier classifier, Shape input) {
        block.initialize(manager, DataType.FLOAT32, input);
        return new CostModel(ChannelGraph.builder().setInputShape(input).setClassifier(classifier).build(block));
    }

    @Test
    public void randomScoresAndTargetsNeverBreakTheBudget() {
        Random random = new Random(2024);
        for (CostModel cost : new CostModel[] {lenet, residual}) {
            for (int trial = 0; trial < 150; trial++) {
                BudgetKind kind = BudgetKind.values()[trial % 4];
                double target = 0.02 + 0.98 * random.nextDouble();
                ChannelOrder order = ChannelOrder.values()[random.nextInt(ChannelOrder.values().length)];
                float[][] scores = ChannelValues.gaussian(cost.getGraph(), random);
                float[][] gates = randomGates(cost.getGraph(), random);
                Budget budget = new Budget(kind, target);
                ChannelMask mask;
                try {
                    mask = MaskSelector.builder().optOrder(order).build().select(cost, budget, scores, gates);
                } catch (BudgetUnreachableException e) {
                    Assert.assertTrue(e.getMinimumRatio() > target, e.getMessage());
                    continue;
                }
                long limit = (long) Math.floor(target * cost.full(kind) + 1e-9);
                Assert.assertTrue(cost.exact(kind, mask) <= limit, budget + " " + order + ": " + cost.ratio(kind, mask));
                for (ChannelGroup group : cost.getGraph().groups()) {
                    Assert.assertTrue(mask.keptCount(group.id()) >= 1, "group " + group.id() + " emptied");
                }
                assertNoRemovedChannelFits(cost, budget, mask);
            }
        }
    }

    @Test
    public void lenetTargetsAreMetWithinAPercentagePoint() {
        Random random = new Random(3);
        for (BudgetKind kind : lenet.kinds()) {
            for (double target : new double[] {0.5, 0.1}) {
                ChannelMask mask =
                        MaskSelector.builder().build().select(lenet, new Budget(kind, target), ChannelValues.gaussian(lenet.getGraph(), random));
                double ratio = lenet.ratio(kind, mask);
                Assert.assertTrue(ratio <= target && ratio > target - 0.01, kind + " " + target + ": " + ratio);
            }
        }
    }

    @Test
    public void globalOrderKeepsTheHighestScores() {
        ChannelGraph graph = lenet.getGraph();
        float[][] scores = new float[graph.groups().size()][];
        for (ChannelGroup group : graph.prunableGroups()) {
            scores[group.id()] = new float[group.size()];
            for (int c = 0; c < group.size(); c++) {
                scores[group.id()][c] = c; // higher index, higher score
            }
        }
        ChannelMask mask = MaskSelector.builder().build().select(lenet, new Budget(BudgetKind.CHANNELS, 0.5), scores);
        for (ChannelGroup group : graph.prunableGroups()) {
            int[] kept = mask.keptIndices(group.id());
            // kept channels form the top of each group's ranking
            Assert.assertEquals(kept[kept.length - 1], group.size() - 1);
            Assert.assertEquals(kept[0], group.size() - kept.length, "group " + group.id());
        }
    }

    @Test
    public void roundedGroupsKeepWholeStepsWithinTheBudget() {
        Random random = new Random(16);
        for (CostModel cost : new CostModel[] {lenet, residual}) {
            ChannelGraph graph = cost.getGraph();
            for (int trial = 0; trial < 60; trial++) {
                int step = trial % 2 == 0 ? 4 : 8;
                BudgetKind kind = BudgetKind.values()[trial % 4];
                Budget budget = new Budget(kind, 0.05 + 0.9 * random.nextDouble());
                ChannelOrder order = ChannelOrder.values()[random.nextInt(ChannelOrder.values().length)];
                ChannelMask mask;
                try {
                    mask = MaskSelector.builder().optOrder(order).optRoundTo(step).build()
                            .select(cost, budget, ChannelValues.gaussian(graph, random), randomGates(graph, random));
                } catch (BudgetUnreachableException e) {
                    continue;
                }
                long limit = (long) Math.floor(budget.target() * cost.full(kind) + 1e-9);
                Assert.assertTrue(cost.exact(kind, mask) <= limit, budget + " round " + step);
                for (ChannelGroup group : graph.prunableGroups()) {
                    int kept = mask.keptCount(group.id());
                    Assert.assertTrue(kept >= 1, "group " + group.id() + " emptied");
                    if (group.size() <= step || kept == group.size()) {
                        continue;
                    }
                    String where = budget + " round " + step + ": group " + group.id() + " keeps " + kept;
                    Assert.assertTrue(kept % step == 0 || kept == 1, where + " (a whole step, or one channel when no step fits)");
                    // The next whole step of this group must not fit, or the fill-back stopped short.
                    int next = Math.min(group.size(), (kept / step + 1) * step);
                    boolean[][] keep = new boolean[graph.groups().size()][];
                    for (ChannelGroup g : graph.groups()) {
                        keep[g.id()] = mask.keep(g.id());
                    }
                    for (int c = 0, added = 0; c < group.size() && added < next - kept; c++) {
                        if (!keep[group.id()][c]) {
                            keep[group.id()][c] = true;
                            added++;
                        }
                    }
                    Assert.assertTrue(cost.exact(kind, ChannelMask.of(graph, keep)) > limit, where + ", next step fits");
                }
            }
        }
    }

    @Test
    public void volumeOrderGivesUpHighResolutionChannelsFirst() {
        // LeNet-5: conv1's channels are 28×28 maps, conv2's 10×10, fc1's single values. conv1 scores highest, yet
        // per unit of activation volume saved it is the cheapest to give up.
        ChannelGraph graph = lenet.getGraph();
        float[][] scores = new float[graph.groups().size()][];
        ChannelGroup conv1 = null;
        for (ChannelGroup group : graph.prunableGroups()) {
            scores[group.id()] = new float[group.size()];
            java.util.Arrays.fill(scores[group.id()], group.size() == 20 ? 1.5f : 1f);
            if (group.size() == 20) {
                conv1 = group;
            }
        }
        Assert.assertNotNull(conv1);
        scores[graph.prunableGroups().get(graph.prunableGroups().size() - 1).id()][0] = 0.5f;
        Budget budget = new Budget(BudgetKind.VOLUME, 0.85);
        ChannelMask volume =
                MaskSelector.builder().optOrder(ChannelOrder.VOLUME_NORMALIZED).build().select(lenet, budget, scores);
        ChannelMask global = MaskSelector.builder().build().select(lenet, budget, scores);
        Assert.assertTrue(volume.keptCount(conv1.id()) < conv1.size(), "volume order kept all of conv1");
        Assert.assertEquals(global.keptCount(conv1.id()), conv1.size(), "global order cut conv1, the best scored");
        for (ChannelGroup group : graph.prunableGroups()) {
            if (group != conv1) {
                Assert.assertTrue(volume.keptCount(group.id()) >= group.size() - 1, "group " + group.id());
            }
        }
    }

    @Test
    public void unreachableBudgetSaysWhatIsReachable() {
        BudgetUnreachableException e =
                Assert.expectThrows(
                        BudgetUnreachableException.class,
                        () -> MaskSelector.builder().optMinKeepFraction(0.5).build()
                                .select(lenet, new Budget(BudgetKind.PARAMETERS, 0.01), ChannelValues.gaussian(lenet.getGraph(), new Random(1))));
        Assert.assertTrue(e.getMessage().contains("Choose a target ≥"), e.getMessage());
        Assert.assertTrue(e.getMinimumRatio() > 0.01);
    }

    @Test
    public void badInputIsRefused() {
        Assert.expectThrows(IllegalArgumentException.class, () -> new Budget(BudgetKind.FLOPS, 0));
        Assert.expectThrows(IllegalArgumentException.class, () -> new Budget(BudgetKind.FLOPS, 1.5));
        Assert.expectThrows(IllegalArgumentException.class, () -> Budget.parse("memory=0.5"));
        Assert.expectThrows(IllegalArgumentException.class, () -> Budget.parse("flops"));
        Assert.assertEquals(Budget.parse("params=0.25"), new Budget(BudgetKind.PARAMETERS, 0.25));
        float[][] scores = ChannelValues.gaussian(lenet.getGraph(), new Random(1));
        scores[1][0] = Float.NaN;
        Assert.expectThrows(
                IllegalArgumentException.class,
                () -> MaskSelector.builder().build().select(lenet, new Budget(BudgetKind.FLOPS, 0.5), scores));
        Assert.expectThrows(IllegalArgumentException.class, () -> MaskSelector.builder().optMinKeep(0));
        Assert.expectThrows(IllegalArgumentException.class, () -> MaskSelector.builder().optRoundTo(0));
    }

    private static void assertNoRemovedChannelFits(CostModel cost, Budget budget, ChannelMask mask) {
        ChannelGraph graph = cost.getGraph();
        long limit = (long) Math.floor(budget.target() * cost.full(budget.kind()) + 1e-9);
        for (ChannelGroup group : graph.prunableGroups()) {
            for (int c = 0; c < group.size(); c++) {
                if (mask.isKept(group.id(), c)) {
                    continue;
                }
                boolean[][] keep = new boolean[graph.groups().size()][];
                for (ChannelGroup g : graph.groups()) {
                    keep[g.id()] = mask.keep(g.id());
                }
                keep[group.id()][c] = true;
                long with = cost.exact(budget.kind(), ChannelMask.of(graph, keep));
                Assert.assertTrue(with > limit, "channel " + c + " of group " + group.id() + " still fits " + budget);
            }
        }
    }

    private static float[][] randomGates(ChannelGraph graph, Random random) {
        float[][] gates = new float[graph.groups().size()][];
        for (ChannelGroup group : graph.groups()) {
            gates[group.id()] = new float[group.size()];
            for (int c = 0; c < group.size(); c++) {
                gates[group.id()][c] = random.nextFloat();
            }
        }
        return gates;
    }

    /** A uniform gate value per prunable group of LeNet-5 (conv1, conv2, fc1), e.g. {0.9, 0.1, 0.5}. */
    private static float[][] uniformGates(ChannelGraph graph, float... perGroup) {
        float[][] gates = new float[graph.groups().size()][];
        int i = 0;
        for (ChannelGroup group : graph.prunableGroups()) {
            gates[group.id()] = new float[group.size()];
            java.util.Arrays.fill(gates[group.id()], perGroup[i++]);
        }
        return gates;
    }

    @Test
    public void softShareKeepsEachGroupInProportionToItsGateSum() {
        ChannelGraph graph = lenet.getGraph();
        float[][] scores = ChannelValues.gaussian(graph, new Random(5));
        // Every gate below ½: the preferred order sees no kept channel anywhere; the soft share still sees how much
        // of each group the soft network uses.
        float[][] gates = uniformGates(graph, 0.45f, 0.1f, 0.3f);
        for (double target : new double[] {0.5, 0.2, 0.05}) {
            Budget budget = new Budget(BudgetKind.CHANNELS, target);
            ChannelMask mask =
                    MaskSelector.builder().optOrder(ChannelOrder.SOFT_SHARE).build().select(lenet, budget, scores, gates);
            double totalShare = 0;
            int totalKept = 0;
            for (ChannelGroup group : graph.prunableGroups()) {
                totalShare += group.size() * (double) gates[group.id()][0];
                totalKept += mask.keptCount(group.id());
            }
            for (ChannelGroup group : graph.prunableGroups()) {
                double expected = group.size() * gates[group.id()][0] * totalKept / totalShare;
                Assert.assertEquals(
                        mask.keptCount(group.id()), expected, 1.5, "group " + group.id() + " at " + target);
            }
            Assert.assertTrue(lenet.ratio(BudgetKind.CHANNELS, mask) <= target);
        }
    }

    @Test
    public void softShareKeepsTheBestScoredChannelsOfEachGroup() {
        ChannelGraph graph = lenet.getGraph();
        float[][] scores = ChannelValues.gaussian(graph, new Random(6));
        float[][] gates = uniformGates(graph, 0.5f, 0.5f, 0.5f);
        ChannelMask mask =
                MaskSelector.builder().optOrder(ChannelOrder.SOFT_SHARE).build()
                        .select(lenet, new Budget(BudgetKind.FLOPS, 0.3), scores, gates);
        for (ChannelGroup group : graph.prunableGroups()) {
            float[] s = scores[group.id()];
            float lowestKept = Float.POSITIVE_INFINITY;
            float highestDropped = Float.NEGATIVE_INFINITY;
            for (int c = 0; c < group.size(); c++) {
                if (mask.keep(group.id())[c]) {
                    lowestKept = Math.min(lowestKept, s[c]);
                } else {
                    highestDropped = Math.max(highestDropped, s[c]);
                }
            }
            Assert.assertTrue(lowestKept >= highestDropped, "group " + group.id());
        }
    }

    @Test
    public void softShareWithoutGateValuesIsRefused() {
        float[][] scores = ChannelValues.gaussian(lenet.getGraph(), new Random(7));
        MaskSelector selector = MaskSelector.builder().optOrder(ChannelOrder.SOFT_SHARE).build();
        IllegalArgumentException e =
                Assert.expectThrows(
                        IllegalArgumentException.class,
                        () -> selector.select(lenet, new Budget(BudgetKind.FLOPS, 0.5), scores));
        Assert.assertTrue(e.getMessage().contains("'share'"), e.getMessage());
        float[][] gates = uniformGates(lenet.getGraph(), 0.5f, 1.5f, 0.5f);
        e = Assert.expectThrows(
                IllegalArgumentException.class,
                () -> selector.select(lenet, new Budget(BudgetKind.FLOPS, 0.5), scores, gates));
        Assert.assertTrue(e.getMessage().contains("outside [0, 1]: 1.5"), e.getMessage());
    }
}
