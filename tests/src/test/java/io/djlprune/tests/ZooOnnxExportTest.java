package io.djlprune.tests;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertTrue;
import static org.testng.Assert.expectThrows;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.ParallelBlock;
import ai.djl.nn.SequentialBlock;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.djlprune.compact.CompactionResult;
import io.djlprune.compact.Compactor;
import io.djlprune.cost.Budget;
import io.djlprune.cost.BudgetKind;
import io.djlprune.cost.CostModel;
import io.djlprune.criteria.L1FilterNorm;
import io.djlprune.export.ExportMismatchException;
import io.djlprune.export.OnnxChecker;
import io.djlprune.export.onnx.OnnxExport;
import io.djlprune.export.onnx.OnnxRuntimeModel;
import io.djlprune.graph.ChannelGraph;
import io.djlprune.graph.ChannelMask;
import io.djlprune.mask.MaskPlan;
import io.djlprune.mask.MaskPlanJson;
import io.djlprune.mask.MaskSelector;
import io.djlprune.ops.ActivationOp;
import io.djlprune.ops.DjlOpClassifier;
import io.djlprune.ops.JoinOp;
import io.djlprune.ops.Op;
import io.djlprune.ops.OpClassifier;
import io.djlprune.ops.UnsupportedBlockException;
import io.djlprune.zoo.model.ModelCatalog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.testng.annotations.DataProvider;
import org.testng.annotations.Test;

/**
 * Every zoo model pruned to a FLOPs budget, compacted and exported as ONNX: each file runs in ONNX Runtime and matches
 * the compacted DJL block ({@link OnnxExport} refuses to leave a file that does not), passes ONNX's own checker, and
 * carries the plan and the
 * report in its metadata. A classifier that mislabels an op makes the export fail and leaves nothing behind; a block
 * no op rule describes is refused before a file exists.
 */
public class ZooOnnxExportTest {

    private static final Shape INPUT = new Shape(1, 1, 28, 28);
    private static final double TOLERANCE = 1e-5;

    @DataProvider
    public Object[][] models() {
        List<Object[]> names = new ArrayList<>();
        for (String name : ModelCatalog.names()) {
            names.add(new Object[] {name});
        }
        return names.toArray(new Object[0][]);
    }

    @Test(dataProvider = "models")
    public void prunedCompactedModelsExportToOnnxAndMatchInOnnxRuntime(String name) throws Exception {
        OpClassifier classifier = DjlOpClassifier.newInstance();
        Path onnx = Files.createTempDirectory("zoo-onnx").resolve(name + ".onnx");
        try (NDManager manager = NDManager.newBaseManager()) {
            // torchvision's VGGs need 32×32 (ModelCatalog.Entry.minimumSize)
            int side = Math.max((int) INPUT.get(2), ModelCatalog.get(name).minimumSize());
            Shape input = new Shape(1, 1, side, side);
            Pruned pruned = prune(name, manager, classifier, input);
            OnnxExport export = new OnnxExport(onnx, classifier, TOLERANCE).withTestAccuracy(0.5);
            export.export(pruned.compact(), pruned.plan(), input);
            assertTrue(Files.isRegularFile(onnx));
            OnnxChecker.check(onnx);
            assertEquals(export.getLastReport().flops(), pruned.cost().exact(BudgetKind.FLOPS, pruned.mask()));
            try (OnnxRuntimeModel model = OnnxRuntimeModel.load(onnx, 1)) {
                Map<String, String> metadata = model.metadata();
                MaskPlan plan = MaskPlanJson.fromJson(metadata.get(OnnxExport.PLAN_KEY), onnx.toString());
                assertEquals(plan.getModel(), name);
                JsonObject report = JsonParser.parseString(metadata.get(OnnxExport.REPORT_KEY)).getAsJsonObject();
                assertEquals(report.get("parameters").getAsLong(), export.getLastReport().parameters());
                assertEquals(report.get("maxAbsDifference").getAsDouble(), export.getLastReport().maxAbsDifference());
                assertTrue(Double.isFinite(export.getLastReport().maxAbsDifference()));
            }
        } finally {
            deleteFolder(onnx.getParent());
        }
    }

    @Test
    public void mislabelledOpFailsTheExportAndLeavesNoFile() throws Exception {
        OpClassifier real = DjlOpClassifier.newInstance();
        // describes every ReLU as tanh: a file that computes something else than the DJL block
        OpClassifier lying = new OpClassifier() {
            @Override
            public Op classify(Block block, Shape inputShape, String path) {
                Op op = real.classify(block, inputShape, path);
                if (op instanceof ActivationOp activation && activation.kind() == ActivationOp.Kind.RELU) {
                    return new ActivationOp(ActivationOp.Kind.TANH, 0);
                }
                return op;
            }

            @Override
            public JoinOp classifyJoin(ParallelBlock block, Shape[] branchOutputShapes, String path) {
                return real.classifyJoin(block, branchOutputShapes, path);
            }
        };
        Path folder = Files.createTempDirectory("zoo-onnx");
        try (NDManager manager = NDManager.newBaseManager()) {
            Pruned pruned = prune("lenet5", manager, real, INPUT);
            OnnxExport export = new OnnxExport(folder.resolve("lenet5.onnx"), lying, TOLERANCE);
            ExportMismatchException e = expectThrows(
                    ExportMismatchException.class, () -> export.export(pruned.compact(), pruned.plan(), INPUT));
            assertTrue(e.getMessage().contains("differs from the DJL block by up to"), e.getMessage());
            try (Stream<Path> left = Files.list(folder)) {
                assertEquals(left.count(), 0L, "neither the file nor its temporary is left");
            }
        } finally {
            deleteFolder(folder);
        }
    }

    @Test
    public void blockTheClassifierCannotDescribeIsRefusedBeforeAnyFile() throws Exception {
        OpClassifier classifier = DjlOpClassifier.newInstance();
        Path folder = Files.createTempDirectory("zoo-onnx");
        try (NDManager manager = NDManager.newBaseManager()) {
            Pruned pruned = prune("lenet5", manager, classifier, INPUT);
            // the compacted network followed by x², which no op rule describes
            SequentialBlock extended = new SequentialBlock()
                    .add(pruned.compact().block())
                    .add(LambdaBlock.singleton(x -> x.square(), "square"));
            CompactionResult compact =
                    new CompactionResult(extended, pruned.compact().layers(), pruned.compact().folds());
            OnnxExport export = new OnnxExport(folder.resolve("lenet5.onnx"), classifier, TOLERANCE);
            UnsupportedBlockException e = expectThrows(
                    UnsupportedBlockException.class, () -> export.export(compact, pruned.plan(), INPUT));
            assertEquals(e.getPath(), "02LambdaBlock", e.getMessage());
            try (Stream<Path> left = Files.list(folder)) {
                assertEquals(left.count(), 0L, "nothing is written");
            }
        } finally {
            deleteFolder(folder);
        }
    }

    private record Pruned(CompactionResult compact, MaskPlan plan, CostModel cost, ChannelMask mask) {}

    private static Pruned prune(String name, NDManager manager, OpClassifier classifier, Shape input) {
        Block dense = ModelCatalog.build(name, 10);
        manager.getEngine().setRandomSeed(19);
        dense.initialize(manager, DataType.FLOAT32, input);
        InformativeWeights.perturb(dense, manager);
        ChannelGraph graph = ChannelGraph.builder().setInputShape(input).setClassifier(classifier).build(dense);
        CostModel cost = new CostModel(graph);
        Budget budget = new Budget(BudgetKind.FLOPS, 0.3);
        ChannelMask mask = MaskSelector.builder().build().select(cost, budget, new L1FilterNorm().score(graph));
        CompactionResult compact =
                Compactor.builder().setClassifier(classifier).build().compact(manager, dense, graph, mask);
        return new Pruned(compact, MaskPlan.of(name, "l1", cost, budget, mask), cost, mask);
    }

    private static void deleteFolder(Path folder) throws Exception {
        try (Stream<Path> files = Files.list(folder)) {
            for (Path file : files.toList()) {
                Files.delete(file);
            }
        }
        Files.delete(folder);
    }
}
