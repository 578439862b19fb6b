package io.djlprune.cost;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.training.GradientCollector;
import ai.djl.util.Pair;
import io.djlprune.graph.ChannelGraph;
import io.djlprune.graph.ChannelGroup;
import io.djlprune.graph.ChannelMask;
import io.djlprune.graph.LayerNode;
import io.djlprune.testing.NamedOpClassifier;
import io.djlprune.testing.TestModels;
import java.util.Random;
import java.util.function.Function;
import org.testng.Assert;
import org.testng.annotations.DataProvider;
import org.testng.annotations.Test;

/** The exact cost model against hand counts and an independent parameter walk; the soft face against the exact one. */
public class CostModelTest {

    private static final Shape MNIST = new Shape(1, 1, 28, 28);

    private static ChannelGraph graph(Block block, Shape input, NamedOpClassifier classifier, NDManager manager) {
        block.initialize(manager, DataType.FLOAT32, input);
        return ChannelGraph.builder().setInputShape(input).setClassifier(classifier).build(block);
    }

    @Test
    public void lenetFullCostsMatchHandCounts() {
        try (NDManager manager = NDManager.newBaseManager()) {
            CostModel cost = new CostModel(graph(TestModels.lenet5(), MNIST, new NamedOpClassifier(), manager));
            Assert.assertEquals(cost.full(BudgetKind.PARAMETERS), 431_080L);
            // conv1 2·500·576 + 20·576, conv2 2·25,000·64 + 50·64, fc1 2·400,000 + 500, fc2 2·5,000 + 10
            Assert.assertEquals(cost.full(BudgetKind.FLOPS), 587_520L + 3_203_200L + 800_500L + 10_010L);
            Assert.assertEquals(cost.full(BudgetKind.CHANNELS), 20L + 50 + 500);
            Assert.assertEquals(cost.full(BudgetKind.VOLUME), 20L * 576 + 50 * 64 + 500);
        }
    }

    @DataProvider
    public Object[][] models() {
        NamedOpClassifier residualClassifier = new NamedOpClassifier();
        return new Object[][] {
            {"lenet5", (Function<NamedOpClassifier, Block>) c -> TestModels.lenet5(), MNIST},
            {"vgg", (Function<NamedOpClassifier, Block>) c -> TestModels.vggChain(), new Shape(1, 3, 16, 16)},
            {"residual", (Function<NamedOpClassifier, Block>) TestModels::residual, new Shape(1, 3, 16, 16)},
        };
    }

    @Test(dataProvider = "models")
    public void softCostEqualsExactCostAtHardGates(String name, Function<NamedOpClassifier, Block> model, Shape input) {
        Random random = new Random(11);
        try (NDManager manager = NDManager.newBaseManager()) {
            NamedOpClassifier classifier = new NamedOpClassifier();
            CostModel cost = new CostModel(graph(model.apply(classifier), input, classifier, manager));
            ChannelGraph graph = cost.getGraph();
            for (int trial = 0; trial < 20; trial++) {
                ChannelMask mask = randomMask(graph, random);
                NDList soft = new NDList();
                for (ChannelGroup group : graph.groups()) {
                    float[] values = new float[group.size()];
                    for (int c = 0; c < values.length; c++) {
                        values[c] = mask.isKept(group.id(), c) ? 1f : 0f;
                    }
                    soft.add(group.prunable() ? manager.create(values) : null);
                }
                for (BudgetKind kind : cost.kinds()) {
                    double exact = cost.ratio(kind, mask);
                    double softRatio = cost.softRatio(kind, soft).getDouble();
                    Assert.assertEquals(softRatio, exact, 1e-12, name + " " + kind + " " + mask);
                }
            }
        }
    }

    @Test
    public void softCostIsDifferentiableInEveryPrunableGate() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NamedOpClassifier classifier = new NamedOpClassifier();
            CostModel cost = new CostModel(graph(TestModels.residual(classifier), new Shape(1, 3, 16, 16), classifier, manager));
            NDList soft = new NDList();
            for (ChannelGroup group : cost.getGraph().groups()) {
                NDArray values = group.prunable() ? manager.randomUniform(0.2f, 0.8f, new Shape(group.size())) : null;
                if (values != null) {
                    values.setRequiresGradient(true);
                }
                soft.add(values);
            }
            // DJL records the autograd graph only inside a gradient collector
            try (GradientCollector collector = manager.getEngine().newGradientCollector()) {
                collector.backward(cost.softRatio(BudgetKind.FLOPS, soft));
            }
            for (NDArray values : soft) {
                if (values != null) {
                    Assert.assertTrue(values.getGradient().gt(0).all().getBoolean(), "every gate lowers the cost");
                }
            }
        }
    }

    @Test(dataProvider = "models")
    public void exactCostEqualsAnIndependentCountOfTheMaskedModel(
            String name, Function<NamedOpClassifier, Block> model, Shape input) {
        if (name.equals("residual")) {
            return; // the independent walk below follows chains; residual costs are covered by soft = exact
        }
        Random random = new Random(5);
        try (NDManager manager = NDManager.newBaseManager()) {
            NamedOpClassifier classifier = new NamedOpClassifier();
            Block block = model.apply(classifier);
            CostModel cost = new CostModel(graph(block, input, classifier, manager));
            for (int trial = 0; trial < 5; trial++) {
                randomiseParameters(block, manager);
                ChannelMask mask = randomMask(cost.getGraph(), random);
                zeroRemovedChannels(cost.getGraph(), mask);
                long[] counted = countChain(block, input);
                Assert.assertEquals(counted[0], cost.exact(BudgetKind.PARAMETERS, mask), name + " parameters");
                Assert.assertEquals(counted[1], cost.exact(BudgetKind.FLOPS, mask), name + " FLOPs");
            }
        }
    }

    static ChannelMask randomMask(ChannelGraph graph, Random random) {
        boolean[][] keep = new boolean[graph.groups().size()][];
        for (ChannelGroup group : graph.groups()) {
            keep[group.id()] = new boolean[group.size()];
            double share = random.nextDouble();
            for (int c = 0; c < group.size(); c++) {
                keep[group.id()][c] = !group.prunable() || random.nextDouble() < share;
            }
            keep[group.id()][random.nextInt(group.size())] = true;
        }
        return ChannelMask.of(graph, keep);
    }

    /** Gives every parameter non-zero random values, so a zero can only come from masking. */
    private static void randomiseParameters(Block block, NDManager manager) {
        for (Pair<String, Parameter> pair : block.getParameters()) {
            NDArray array = pair.getValue().getArray();
            NDArray values = manager.randomUniform(0.5f, 1.5f, array.getShape());
            array.set(values.toFloatArray());
        }
    }

    /** Zeroes what removing a channel removes at its source: the producing filter, its bias, its BN γ and β. */
    private static void zeroRemovedChannels(ChannelGraph graph, ChannelMask mask) {
        for (ChannelGroup group : graph.prunableGroups()) {
            for (int c = 0; c < group.size(); c++) {
                if (mask.isKept(group.id(), c)) {
                    continue;
                }
                for (LayerNode node : group.producers()) {
                    for (Pair<String, Parameter> p : node.block().getParameters()) {
                        p.getValue().getArray().set(new NDIndex("{}", c), 0f);
                    }
                }
                for (LayerNode node : group.members()) {
                    for (Pair<String, Parameter> p : node.block().getParameters()) {
                        if (p.getKey().equals("gamma") || p.getKey().equals("beta")) {
                            p.getValue().getArray().set(new NDIndex("{}", c), 0f);
                        }
                    }
                }
            }
        }
    }

    /**
     * Counts non-zero trainable parameters and FLOPs of a sequential chain by walking its parameters: a layer's live
     * inputs are the live outputs of the previous producing layer (times the spatial size after a flatten).
     */
    private static long[] countChain(Block chain, Shape input) {
        long params = 0;
        long flops = 0;
        boolean[] alive = null; // null = all input channels alive
        Shape shape = input;
        long flattenedSpatial = 1;
        for (Pair<String, Block> child : chain.getChildren()) {
            Block block = child.getValue();
            Shape out = block.getOutputShapes(new Shape[] {shape})[0];
            long spatial = out.dimension() == 4 ? out.get(2) * out.get(3) : 1;
            if (block instanceof Conv2d || block instanceof Linear) {
                NDArray weight = block.getParameters().get("weight").getArray();
                long inWidth = weight.getShape().get(1);
                float[] w = weight.toFloatArray();
                long perOut = w.length / weight.getShape().get(0);
                long perIn = perOut / inWidth;
                boolean[] outAlive = new boolean[(int) weight.getShape().get(0)];
                long nonZero = 0;
                for (int o = 0; o < outAlive.length; o++) {
                    for (int i = 0; i < inWidth; i++) {
                        boolean inputAlive = alive == null || alive[(int) (i / (block instanceof Linear ? flattenedSpatial : 1))];
                        for (int k = 0; k < perIn; k++) {
                            if (inputAlive && w[(int) (o * perOut + i * perIn + k)] != 0) {
                                nonZero++;
                                outAlive[o] = true;
                            }
                        }
                    }
                }
                long biasNonZero = 0;
                if (block.getParameters().contains("bias")) {
                    for (float b : block.getParameters().get("bias").getArray().toFloatArray()) {
                        biasNonZero += b != 0 ? 1 : 0;
                    }
                }
                params += nonZero + biasNonZero;
                flops += 2 * nonZero * spatial + biasNonZero * spatial;
                alive = outAlive;
                flattenedSpatial = 1;
            } else if (block instanceof BatchNorm) {
                float[] gamma = block.getParameters().get("gamma").getArray().toFloatArray();
                float[] beta = block.getParameters().get("beta").getArray().toFloatArray();
                for (int c = 0; c < gamma.length; c++) {
                    params += (gamma[c] != 0 ? 1 : 0) + (beta[c] != 0 ? 1 : 0);
                    flops += gamma[c] != 0 || beta[c] != 0 ? 2 * spatial : 0;
                }
            } else if (block instanceof LambdaBlock lambda && lambda.getName().equals("batchFlatten")) {
                flattenedSpatial = shape.get(2) * shape.get(3);
            }
            shape = out;
        }
        return new long[] {params, flops};
    }
}
