package io.djlprune.zoo.torch;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import io.djlprune.graph.ChannelGraph;
import io.djlprune.ops.DjlOpClassifier;
import io.djlprune.zoo.model.TorchvisionArchitecture;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testng.Assert;
import org.testng.annotations.AfterClass;
import org.testng.annotations.BeforeClass;
import org.testng.annotations.DataProvider;
import org.testng.annotations.Test;

/**
 * torchvision ResNets with random weights (and randomised BatchNorm statistics), saved by PyTorch, imported into the
 * DJL blocks: the DJL outputs equal torchvision's eval-mode outputs on the same batch to 1e-4, and the library's
 * channel graph reads the imported block. A state_dict of another architecture is refused with every mismatch listed;
 * whole-model and hostile files written by PyTorch are refused by the global they name.
 */
public class TorchvisionImportTest {

    private static final Logger LOG = LoggerFactory.getLogger(TorchvisionImportTest.class);

    private static final int BATCH = 2;
    private static final int SIZE = 64;
    private static final int CLASSES = 7;

    private Path dir;

    @BeforeClass
    public void makeDir() throws IOException {
        dir = Files.createTempDirectory("torchvision-import-test");
    }

    @AfterClass(alwaysRun = true)
    public void removeDir() throws IOException {
        try (var files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    /**
     * Architecture, seed, image side, prunable channel groups (as ModelCatalogTest counts them for the same networks).
     * The sides are where the final maps differ from the pooled ones: 64×64 ends at 2×2 maps (VGG-16's 7×7 bins then
     * overlap), VGG-11 at 32×32 ends at 1×1 (repeated to 7×7), MobileNetV2 also runs at 224×224 (VGG at 224, where
     * its pooling is the identity, would take PyTorch a minute to calibrate).
     */
    @DataProvider
    public Object[][] architectures() {
        return new Object[][] {
            {"torchvision-resnet18", 11, SIZE, 12},
            {"torchvision-resnet34", 12, SIZE, 20},
            {"torchvision-resnet50", 13, SIZE, 37},
            {"torchvision-mobilenet-v2", 14, SIZE, 25},
            {"torchvision-mobilenet-v2", 15, 224, 25},
            {"torchvision-vgg11-bn", 16, 32, 10},
            {"torchvision-vgg16-bn", 17, SIZE, 15},
        };
    }

    @Test(dataProvider = "architectures")
    public void reproducesTorchvisionOutputs(String name, int seed, int size, int prunableGroups) throws Exception {
        String arch = TorchvisionArchitecture.find(name).orElseThrow().torchvisionModel();
        TorchvisionFixture fixture = TorchvisionFixture.shared(arch, CLASSES, seed, BATCH, size);
        try (NDManager manager = NDManager.newBaseManager()) {
            Block block = TorchvisionImport.load(name, fixture.stateDict, manager);
            NDArray x = manager.create(fixture.input, new Shape(BATCH, 3, size, size));
            NDArray y = block.forward(new ParameterStore(manager, false), new NDList(x), false).singletonOrThrow();
            Assert.assertEquals(y.getShape(), new Shape(BATCH, CLASSES), arch);
            NDArray expected = manager.create(fixture.output, new Shape(BATCH, CLASSES));
            float maxDiff = y.sub(expected).abs().max().getFloat();
            float scale = expected.abs().max().getFloat();
            LOG.info("{} at {}×{}: max |Δ| = {} on outputs up to {}", name, size, size, maxDiff, scale);
            Assert.assertTrue(scale > 0.1f, arch + " outputs are too small to compare: " + scale);
            Assert.assertTrue(maxDiff <= 1e-4f, arch + ": max |Δ| = " + maxDiff);
            // the imported block is one the library can prune: its channel graph reads it
            ChannelGraph graph = ChannelGraph.builder()
                    .setInputShape(new Shape(BATCH, 3, size, size))
                    .setClassifier(DjlOpClassifier.newInstance())
                    .build(block);
            Assert.assertEquals(graph.prunableGroups().size(), prunableGroups, graph.describe());
        }
    }

    @Test
    public void refusesAnotherArchitectureListingEveryMismatch() throws Exception {
        TorchvisionFixture resnet18 = TorchvisionFixture.make("resnet18", 5, 3, 1, 32, dir);
        try (NDManager manager = NDManager.newBaseManager()) {
            StateDictMismatchException e = Assert.expectThrows(StateDictMismatchException.class,
                    () -> TorchvisionImport.load("torchvision-resnet34", resnet18.stateDict, manager));
            // ResNet-34 has 1 + 2 + 4 + 1 more basic units, each with two convolutions and two BatchNorms
            Assert.assertEquals(e.mismatches().size(), 8 * (2 + 2 * 4), e.getMessage());
            Assert.assertTrue(e.getMessage().contains("missing: layer3.5.bn2.running_var (256)"), e.getMessage());

            e = Assert.expectThrows(StateDictMismatchException.class,
                    () -> TorchvisionImport.load("torchvision-resnet50", resnet18.stateDict, manager));
            Assert.assertTrue(e.mismatches().contains(
                    "shape: layer1.0.conv1.weight is (64, 64, 3, 3) in the file, the network needs (64, 64, 1, 1)"),
                    e.getMessage());
            Assert.assertTrue(e.mismatches().contains("missing: layer1.0.downsample.0.weight (256, 64, 1, 1)"),
                    e.getMessage());
            Assert.assertTrue(e.mismatches().contains(
                    "shape: fc.weight is (5, 512) in the file, the network needs (5, 2048)"), e.getMessage());
        }
        TorchvisionFixture resnet50 = TorchvisionFixture.make("resnet50", 5, 3, 1, 32, dir);
        try (NDManager manager = NDManager.newBaseManager()) {
            StateDictMismatchException e = Assert.expectThrows(StateDictMismatchException.class,
                    () -> TorchvisionImport.load("torchvision-resnet18", resnet50.stateDict, manager));
            Assert.assertTrue(e.mismatches().contains("unexpected: layer1.0.conv3.weight (256, 64, 1, 1)"),
                    e.getMessage());
            Assert.assertTrue(e.mismatches().contains("unexpected: layer1.0.bn3.num_batches_tracked ()"),
                    e.getMessage());
        }
    }

    @Test
    public void refusesAnotherTorchvisionFamilyByItsClassifierTensorOrEveryMismatch() throws Exception {
        TorchvisionFixture mobilenet = TorchvisionFixture.shared("mobilenet_v2", CLASSES, 14, BATCH, SIZE);
        TorchvisionFixture vgg11 = TorchvisionFixture.shared("vgg11_bn", CLASSES, 16, BATCH, 32);
        try (NDManager manager = NDManager.newBaseManager()) {
            // the class count is read from each architecture's own classifier tensor
            StateDictMismatchException e = Assert.expectThrows(StateDictMismatchException.class,
                    () -> TorchvisionImport.load("torchvision-vgg11-bn", mobilenet.stateDict, manager));
            Assert.assertEquals(e.mismatches().size(), 1, e.getMessage());
            Assert.assertTrue(e.getMessage().contains("classifier.6.weight (the classifier's weight, classes ×"
                    + " features) is missing") && e.getMessage().contains("is this a vgg11_bn state_dict?"),
                    e.getMessage());
            e = Assert.expectThrows(StateDictMismatchException.class,
                    () -> TorchvisionImport.load("torchvision-resnet18", mobilenet.stateDict, manager));
            Assert.assertTrue(e.getMessage().contains("fc.weight (the classifier's weight"), e.getMessage());
            // VGG's classifier.1 is a ReLU
            e = Assert.expectThrows(StateDictMismatchException.class,
                    () -> TorchvisionImport.load("torchvision-mobilenet-v2", vgg11.stateDict, manager));
            Assert.assertTrue(e.getMessage().contains("classifier.1.weight (the classifier's weight"), e.getMessage());
            // VGG-16's features interleave differently: every mismatch is listed, nothing is loaded
            e = Assert.expectThrows(StateDictMismatchException.class,
                    () -> TorchvisionImport.load("torchvision-vgg16-bn", vgg11.stateDict, manager));
            Assert.assertTrue(e.mismatches().contains("missing: features.3.weight (64, 64, 3, 3)"), e.getMessage());
            Assert.assertTrue(e.mismatches().contains(
                    "shape: features.4.weight is (128, 64, 3, 3) in the file, the network needs (64)"), e.getMessage());
            Assert.assertTrue(e.mismatches().contains("unexpected: features.5.num_batches_tracked ()"),
                    e.getMessage());
            Assert.assertTrue(e.mismatches().size() > 20, e.getMessage());
        }
    }

    @Test
    public void refusesWholeModelsAndHostilePicklesThatTorchWrites() throws Exception {
        Path model = dir.resolve("whole-model.pt");
        Path hostile = dir.resolve("hostile.pt");
        Path marker = dir.resolve("pwned");
        TorchvisionFixture.python(String.join("\n",
                "import os, sys, torch, torchvision",
                "torch.save(torchvision.models.resnet18(weights=None, num_classes=3), sys.argv[1])",
                "class Payload:",
                "    def __reduce__(self):",
                "        return (os.system, ('touch ' + sys.argv[3],))",
                "torch.save({'conv1.weight': torch.zeros(1), 'x': Payload()}, sys.argv[2])"),
                model.toString(), hostile.toString(), marker.toString());
        try (NDManager manager = NDManager.newBaseManager()) {
            TorchArchiveException e = Assert.expectThrows(TorchArchiveException.class,
                    () -> TorchvisionImport.load("torchvision-resnet18", model, manager));
            Assert.assertTrue(e.getMessage().contains(
                    "global 'torchvision.models.resnet.ResNet' is not on the allow-list"), e.getMessage());
            e = Assert.expectThrows(TorchArchiveException.class,
                    () -> TorchvisionImport.load("torchvision-resnet18", hostile, manager));
            Assert.assertTrue(e.getMessage().contains("global 'posix.system' is not on the allow-list"),
                    e.getMessage());
        }
        Assert.assertFalse(Files.exists(marker), "the payload ran");
    }
}
