package io.djlprune.zoo.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import io.djlprune.graph.ChannelGraph;
import io.djlprune.graph.ChannelGroup;
import io.djlprune.ops.DjlOpClassifier;
import io.djlprune.ops.UnsupportedBlockException;
import io.djlprune.training.Evaluation;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testng.Assert;
import org.testng.annotations.DataProvider;
import org.testng.annotations.Test;

/**
 * Every catalog model builds and runs on grey 28×28 and colour 32×32 inputs, and its channel graph has the groups its
 * architecture implies; the graph summary of each is logged for people reading the test output.
 */
public class ModelCatalogTest {

    private static final Logger LOG = LoggerFactory.getLogger(ModelCatalogTest.class);

    private static final Shape[] INPUTS = {new Shape(1, 1, 28, 28), new Shape(1, 3, 32, 32)};

    /**
     * Name; prunable groups; prunable channels; groups tied by residual adds (more than one producer). Derived from
     * the architectures, e.g. ResNet-20: three stage streams (the stem, shortcuts and every unit's second conv) and one
     * inner group per unit, 16·3 + 32·3 + 64·3 + 16 + 32 + 64 = 448 channels.
     */
    @DataProvider
    public Object[][] models() {
        return new Object[][] {
            {"lenet300", 2, 300 + 100, 0},
            {"lenet5", 3, 20 + 50 + 500, 0},
            {"vgg11", 8, 64 + 128 + 2 * 256 + 4 * 512, 0},
            {"vgg16", 13, 2 * 64 + 2 * 128 + 3 * 256 + 6 * 512, 0},
            {"resnet20", 3 + 9, 112 + 3 * 112, 3},
            {"resnet56", 3 + 27, 112 + 9 * 112, 3},
            {"resnet110", 3 + 54, 112 + 18 * 112, 3},
            // stem; three streams of 64, 128, 256; two inner groups per bottleneck (16+16, 32+32, 64+64)
            {"preresnet164", 1 + 3 + 2 * 54, 16 + 448 + 18 * 224, 3},
            {"wrn16-4", 1 + 3 + 6, 16 + 448 + 2 * 448, 3},
            {"wrn26-12", 1 + 3 + 12, 16 + 1344 + 4 * 1344, 3},
            // stem; seven stage outputs (five with more than one unit); 16 expansions; the 1280 head
            {"mobilenetv2", 1 + 7 + 16 + 1, 32 + 712 + 7104 + 1280, 5},
            // DJL's bottleneck ResNets: stem; four streams; two inner groups per unit
            {"djl-resnet18", 1 + 4 + 16, 64 + 960 + 2 * 2 * 240, 4},
            {"djl-resnet50", 1 + 4 + 32, 64 + 3840 + 2 * (3 * 64 + 4 * 128 + 6 * 256 + 3 * 512), 4},
            // torchvision's basic-unit ResNets: the stem joins layer1's stream (no projection there); four streams;
            // one inner group per unit
            {"torchvision-resnet18", 4 + 8, 960 + 2 * 960, 4},
            {"torchvision-resnet34", 4 + 16, 960 + (3 * 64 + 4 * 128 + 6 * 256 + 3 * 512), 4},
            // bottlenecks: layer1.0 projects 64 to 256, so the stem is a group of its own
            {"torchvision-resnet50", 1 + 4 + 32, 64 + 3840 + 2 * (3 * 64 + 4 * 128 + 6 * 256 + 3 * 512), 4},
            // the channel structure of the CIFAR form: the stride changes the maps, not the groups
            {"torchvision-mobilenet-v2", 1 + 7 + 16 + 1, 32 + 712 + 7104 + 1280, 5},
            // every convolution; the two 4096-wide hidden layers of the classifier
            {"torchvision-vgg11-bn", 8 + 2, 64 + 128 + 2 * 256 + 4 * 512 + 2 * 4096, 0},
            {"torchvision-vgg16-bn", 13 + 2, 2 * 64 + 2 * 128 + 3 * 256 + 6 * 512 + 2 * 4096, 0},
        };
    }

    @Test(dataProvider = "models")
    public void buildsRunsAndHasItsChannelGroups(String name, int prunableGroups, int prunableChannels, int tied) {
        for (Shape input : INPUTS) {
            if (input.get(2) < ModelCatalog.get(name).minimumSize()) {
                continue;
            }
            try (NDManager manager = NDManager.newBaseManager()) {
                Block block = initialised(name, input, manager);
                NDArray out = run(block, input, manager);
                Assert.assertEquals(out.getShape(), new Shape(1, 10), name + " on " + input);
                Assert.assertTrue(out.isInfinite().logicalOr(out.isNaN()).none().getBoolean(), name + " output finite");

                ChannelGraph graph = graph(block, input);
                long residualTied = graph.prunableGroups().stream().filter(g -> g.producers().size() > 1).count();
                LOG.info(
                        "{} on {}: {} parameters; {} layers, {} channel groups, {} prunable ({} tied by residual adds),"
                                + " {} prunable channels",
                        name, input, Evaluation.parameterCount(block, true), graph.layers().size(),
                        graph.groups().size(), graph.prunableGroups().size(), residualTied, graph.prunableChannels());
                Assert.assertEquals(graph.prunableGroups().size(), prunableGroups, name + " prunable groups");
                Assert.assertEquals(graph.prunableChannels(), prunableChannels, name + " prunable channels");
                Assert.assertEquals(residualTied, tied, name + " groups tied by residual adds");
                // Only the input and the class scores are fixed.
                Assert.assertEquals(fixedReasons(graph), List.of("network input", "network output"), name);
            }
        }
    }

    /**
     * DJL's MobileNetV2 reshapes the pooled (N, 1280) features to (N, 1280, 1, 1) before its 1×1 classifier; the
     * classifier in api has no op for that reshape yet and refuses it by path. When api learns the reshape, this test
     * fails and djl-mobilenetv2 moves into the table above.
     */
    @Test
    public void djlMobileNetV2ReshapeIsAGenericUnflatten() {
        for (Shape input : INPUTS) {
            try (NDManager manager = NDManager.newBaseManager()) {
                Block block = initialised("djl-mobilenetv2", input, manager);
                ChannelGraph graph = graph(block, input);
                // DJL reshapes the pooled (N, 1280) features to (N, 1280, 1, 1) for its 1×1 classifier
                long unflattens =
                        graph.layers().stream().filter(n -> n.op() instanceof io.djlprune.ops.UnflattenOp).count();
                Assert.assertEquals(unflattens, 1L, graph.describe());
                Assert.assertTrue(graph.prunableGroups().size() > 10, graph.describe());
            }
        }
    }

    @Test
    public void publishedParameterCounts() {
        Shape grey = new Shape(1, 1, 28, 28);
        try (NDManager manager = NDManager.newBaseManager()) {
            Assert.assertEquals(Evaluation.parameterCount(initialised("lenet300", grey, manager), true), 266_610L);
            Assert.assertEquals(Evaluation.parameterCount(initialised("lenet5", grey, manager), true), 431_080L);
            // 0.27M as published (269,722 with parameter-free shortcuts on 3 input channels) plus the two 1×1
            // projection shortcuts and their BatchNorms (16·32 + 32·64 + 2·32 + 2·64 = 2,752)
            Block resnet = initialised("resnet20", new Shape(1, 3, 32, 32), manager);
            Assert.assertEquals(Evaluation.parameterCount(resnet, true), 269_722L + 2_752L);
            // torchvision's counts for 1000 classes (11,689,512 and 25,557,032) less 990 classes' fc rows and biases
            Shape colour = new Shape(1, 3, 32, 32);
            Assert.assertEquals(Evaluation.parameterCount(initialised("torchvision-resnet18", colour, manager), true),
                    11_689_512L - 990L * 513);
            Assert.assertEquals(Evaluation.parameterCount(initialised("torchvision-resnet50", colour, manager), true),
                    25_557_032L - 990L * 2049);
            // torchvision's mobilenet_v2, vgg11_bn and vgg16_bn for 1000 classes, less 990 classifier rows and biases
            Assert.assertEquals(
                    Evaluation.parameterCount(initialised("torchvision-mobilenet-v2", colour, manager), true),
                    3_504_872L - 990L * 1281);
            Assert.assertEquals(Evaluation.parameterCount(initialised("torchvision-vgg11-bn", colour, manager), true),
                    132_868_840L - 990L * 4097);
        }
        try (NDManager manager = NDManager.newBaseManager()) {
            Shape colour = new Shape(1, 3, 32, 32);
            Assert.assertEquals(Evaluation.parameterCount(initialised("torchvision-vgg16-bn", colour, manager), true),
                    138_365_992L - 990L * 4097);
        }
    }

    @Test
    public void classCountIsHonoured() {
        Shape input = new Shape(2, 3, 32, 32);
        for (String name : ModelCatalog.names()) {
            Block block = ModelCatalog.build(name, 7);
            Assert.assertEquals(block.getOutputShapes(new Shape[] {input})[0], new Shape(2, 7), name);
        }
    }

    @Test
    public void unknownNameListsTheCatalog() {
        IllegalArgumentException e =
                Assert.expectThrows(IllegalArgumentException.class, () -> ModelCatalog.build("vgg99", 10));
        Assert.assertTrue(
                e.getMessage().contains(
                        "lenet300, lenet5, vgg11, vgg16, resnet20, resnet56, resnet110, preresnet164, wrn16-4,"
                                + " wrn26-12, mobilenetv2, djl-resnet18, djl-resnet50, djl-mobilenetv2"),
                e.getMessage());
        Assert.expectThrows(IllegalArgumentException.class, () -> CifarResNet.build(21, 10));
        Assert.expectThrows(IllegalArgumentException.class, () -> PreResNet.build(50, 10));
        Assert.expectThrows(IllegalArgumentException.class, () -> Vgg.build(19, 10));
        Assert.expectThrows(IllegalArgumentException.class, () -> WideResNet.build(0, 4, 10));
        Assert.expectThrows(IllegalArgumentException.class, () -> TorchvisionVgg.build(13, 10));
    }

    @Test
    public void torchvisionVggNeedsAtLeast32By32() {
        Assert.assertEquals(ModelCatalog.get("torchvision-vgg11-bn").minimumSize(), 32);
        Assert.assertEquals(ModelCatalog.get("torchvision-resnet18").minimumSize(), 28);
        Block vgg = ModelCatalog.build("torchvision-vgg11-bn", 10);
        // the fifth max-pool gets a 1×1 map; LibTorch refuses to pool it
        RuntimeException e = Assert.expectThrows(RuntimeException.class,
                () -> vgg.getOutputShapes(new Shape[] {new Shape(1, 1, 28, 28)}));
        Assert.assertTrue(e.getMessage().contains("Output size is too small"), e.getMessage());
    }

    private static Block initialised(String name, Shape input, NDManager manager) {
        Block block = ModelCatalog.build(name, 10);
        block.initialize(manager, DataType.FLOAT32, input);
        return block;
    }

    private static NDArray run(Block block, Shape input, NDManager manager) {
        NDList x = new NDList(manager.randomNormal(input));
        return block.forward(new ParameterStore(manager, false), x, false).singletonOrThrow();
    }

    private static ChannelGraph graph(Block block, Shape input) {
        return ChannelGraph.builder().setInputShape(input).setClassifier(DjlOpClassifier.newInstance()).build(block);
    }

    private static List<String> fixedReasons(ChannelGraph graph) {
        List<String> reasons = new ArrayList<>();
        for (ChannelGroup group : graph.groups()) {
            if (!group.prunable()) {
                reasons.add(group.fixedReason());
            }
        }
        return reasons;
    }
}
