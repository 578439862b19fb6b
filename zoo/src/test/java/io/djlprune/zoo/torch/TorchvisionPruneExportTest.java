package io.djlprune.zoo.torch;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import io.djlprune.compact.CompactionResult;
import io.djlprune.compact.Compactor;
import io.djlprune.cost.Budget;
import io.djlprune.cost.BudgetKind;
import io.djlprune.cost.CostModel;
import io.djlprune.criteria.L1FilterNorm;
import io.djlprune.export.TorchScriptExport;
import io.djlprune.export.onnx.OnnxExport;
import io.djlprune.graph.ChannelGraph;
import io.djlprune.graph.ChannelMask;
import io.djlprune.mask.MaskPlan;
import io.djlprune.mask.MaskSelector;
import io.djlprune.ops.DjlOpClassifier;
import io.djlprune.ops.OpClassifier;
import io.djlprune.training.Evaluation;
import io.djlprune.zoo.model.TorchvisionArchitecture;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
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
 * The point of importing: a torchvision state_dict, imported, is pruned by L1 filter norm to a budget, compacted, and
 * exported. The TorchScript archive, loaded by PyTorch's own {@code torch.jit.load} in {@code /usr/bin/python3}, gives
 * the compacted DJL block's outputs on the fixture batch; the ONNX file passes ONNX Runtime's comparison inside
 * {@link OnnxExport} (ONNX's checker runs on every catalog model in the tests module's {@code ZooOnnxExportTest}).
 *
 * <p>Each network is pruned to a FLOPs budget by L1 filter norm; the outputs of the two images must still differ by
 * more than ten times the tolerance, or a file that ignored its input could pass. ResNet-18 is pruned to half its
 * FLOPs by a global L1 ranking. On the fixtures' random weights that ranking empties whole layers of the others: on
 * MobileNetV2 it keeps one channel of the stem and of six expansions, on VGG (torchvision's N(0, 0.01) linear layers
 * against Kaiming-initialised convolutions) one channel of each of the first three convolutions and 10 of the second
 * 4,096 hidden units, and the outputs stop depending on the input. So every group of those keeps at least half its
 * channels (L1 still picks which); VGG goes to 30% of its FLOPs, which also keeps its export files small enough to
 * write and load in seconds (at half its FLOPs it would keep 108 M parameters).
 */
public class TorchvisionPruneExportTest {

    private static final Logger LOG = LoggerFactory.getLogger(TorchvisionPruneExportTest.class);

    private static final int BATCH = 2;
    private static final int CLASSES = 7;
    private static final float TOLERANCE = 1e-4f;

    private static final String RUN_EXPORTS = String.join("\n",
            "import sys, numpy, torch",
            "batch, size = int(sys.argv[3]), int(sys.argv[4])",
            "module = torch.jit.load(sys.argv[1])",
            "module.eval()",
            "x = torch.from_numpy(numpy.fromfile(sys.argv[2], dtype='<f4').reshape(batch, 3, size, size))",
            "with torch.no_grad():",
            "    y = module(x)",
            "y.numpy().astype('<f4').tofile(sys.argv[5])");

    private Path dir;

    @BeforeClass
    public void makeDir() throws IOException {
        dir = Files.createTempDirectory("torchvision-prune-test");
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
     * Architecture, seed and image side of a fixture of {@link TorchvisionImportTest} (the same arguments, so each is
     * made once per JVM); the FLOPs budget; the share of its channels every group keeps at least.
     */
    @DataProvider
    public Object[][] architectures() {
        return new Object[][] {
            {"torchvision-resnet18", 11, 64, 0.5, 0.0},
            {"torchvision-mobilenet-v2", 14, 64, 0.5, 0.5},
            {"torchvision-vgg11-bn", 16, 32, 0.3, 0.5},
            {"torchvision-vgg16-bn", 17, 64, 0.3, 0.5},
        };
    }

    @Test(dataProvider = "architectures")
    public void importedPrunedCompactedExportsRunInPyTorch(
            String name, int seed, int size, double flops, double minKeepFraction) throws Exception {
        String arch = TorchvisionArchitecture.find(name).orElseThrow().torchvisionModel();
        TorchvisionFixture fixture = TorchvisionFixture.shared(arch, CLASSES, seed, BATCH, size);
        Shape input = new Shape(BATCH, 3, size, size);
        OpClassifier classifier = DjlOpClassifier.newInstance();
        Path pt = dir.resolve(name + ".pt");
        Path onnx = dir.resolve(name + ".onnx");
        Path scores = dir.resolve(name + "-torch.bin");
        try (NDManager manager = NDManager.newBaseManager()) {
            Block dense = TorchvisionImport.load(name, fixture.stateDict, manager);
            ChannelGraph graph = ChannelGraph.builder().setInputShape(input).setClassifier(classifier).build(dense);
            CostModel cost = new CostModel(graph);
            Budget budget = new Budget(BudgetKind.FLOPS, flops);
            ChannelMask mask = MaskSelector.builder()
                    .optMinKeepFraction(minKeepFraction)
                    .build()
                    .select(cost, budget, new L1FilterNorm().score(graph));
            Assert.assertTrue(cost.ratio(BudgetKind.FLOPS, mask) <= flops, name);
            CompactionResult compact =
                    Compactor.builder().setClassifier(classifier).build().compact(manager, dense, graph, mask);
            MaskPlan plan = MaskPlan.of(name, "l1", cost, budget, mask);

            TorchScriptExport torchScript = new TorchScriptExport(pt, classifier, TOLERANCE);
            torchScript.export(compact, plan, input);
            OnnxExport onnxExport = new OnnxExport(onnx, classifier, TOLERANCE);
            onnxExport.export(compact, plan, input);
            Assert.assertEquals(torchScript.getLastReport().flops(), cost.exact(BudgetKind.FLOPS, mask), name);

            NDArray x = manager.create(fixture.input, input);
            NDArray expected = compact.block()
                    .forward(new ParameterStore(manager, false), new NDList(x), false)
                    .singletonOrThrow();
            TorchvisionFixture.python(RUN_EXPORTS, pt.toString(), fixture.inputFile.toString(),
                    Integer.toString(BATCH), Integer.toString(size), scores.toString());
            NDArray actual = manager.create(floats(scores), new Shape(BATCH, CLASSES));
            float maxDiff = actual.sub(expected).abs().max().getFloat();
            float scale = expected.abs().max().getFloat();
            // the match means something only if the outputs depend on the input
            float spread = expected.get(0).sub(expected.get(1)).abs().max().getFloat();
            LOG.info("{} at {}×{}, FLOPs {} → {}: {} → {} parameters; torch.jit.load vs compacted DJL max |Δ| = {}"
                            + " on outputs up to {} that differ by up to {} between the two images; ONNX Runtime max"
                            + " |Δ| = {}",
                    name, size, size, cost.full(BudgetKind.FLOPS), cost.exact(BudgetKind.FLOPS, mask),
                    Evaluation.parameterCount(dense, true), Evaluation.parameterCount(compact.block(), true),
                    maxDiff, scale, spread, onnxExport.getLastReport().maxAbsDifference());
            Assert.assertTrue(scale > 0.1f, name + " outputs are too small to compare: " + scale);
            Assert.assertTrue(spread > 10 * TOLERANCE, name + " outputs barely depend on the input: " + spread);
            Assert.assertTrue(maxDiff <= TOLERANCE, name + ": max |Δ| = " + maxDiff);
            Assert.assertTrue(Evaluation.parameterCount(compact.block(), true)
                    < Evaluation.parameterCount(dense, true), name);
        }
    }

    private static float[] floats(Path file) throws IOException {
        ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        float[] values = new float[bytes.remaining() / 4];
        bytes.asFloatBuffer().get(values);
        return values;
    }
}
