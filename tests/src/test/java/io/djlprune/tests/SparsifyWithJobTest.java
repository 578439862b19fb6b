package io.djlprune.tests;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import io.djlprune.data.DataSplits;
import io.djlprune.engine.LoadedTorchScript;
import io.djlprune.export.TorchScriptExport;
import io.djlprune.graph.ChannelGraph;
import io.djlprune.graph.LayerNode;
import io.djlprune.hoyer.HoyerVariant;
import io.djlprune.hoyer.MagnitudeThreshold;
import io.djlprune.hoyer.WeightCut;
import io.djlprune.hoyer.WeightPruner;
import io.djlprune.mask.MaskPlan;
import io.djlprune.mask.MaskPlanJson;
import io.djlprune.ops.Conv2dOp;
import io.djlprune.ops.DjlOpClassifier;
import io.djlprune.ops.LinearOp;
import io.djlprune.pipeline.FineTuning;
import io.djlprune.pipeline.SparsifyJob;
import io.djlprune.pipeline.SparsifyResult;
import io.djlprune.training.EpochSummary;
import io.djlprune.training.Evaluation;
import io.djlprune.zoo.data.SyntheticImages;
import io.djlprune.zoo.model.ModelCatalog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.testng.Assert;
import org.testng.annotations.Test;

/**
 * Element-wise DeepHoyer through a {@code SparsifyJob}: the weights below the cut are still exactly zero after
 * fine-tuning, the reported non-zero counts are the weights' own, the accuracies are measured, and the exported file
 * LibTorch loads is the sparse network.
 */
public class SparsifyWithJobTest {

    private static final int BATCH = 32;
    private static final long KEEP = 20_000;
    private static final long LENET5_WEIGHTS = 430_500;

    @Test
    public void weightsBelowTheCutStayZeroThroughFineTuningAndAreCounted() throws Exception {
        Path dir = Files.createTempDirectory("sparsify-job");
        Path regularized = dir.resolve("regularized");
        Path pt = dir.resolve("sparse.pt");
        try (NDManager manager = NDManager.newBaseManager();
                Model model = Model.newInstance("lenet5")) {
            DataSplits data = lenet5(manager, model);
            SparsifyResult result =
                    SparsifyJob.builder()
                            .setModel(model)
                            .setData(data, BATCH)
                            .optVariant(HoyerVariant.GROUP)
                            .optEpochs(1)
                            .optCut(WeightCut.keepingAtMost(KEEP))
                            .optFineTuning(new FineTuning(1, 0.01f))
                            .optRegularizedFolder(regularized)
                            .addExporter(new TorchScriptExport(pt, DjlOpClassifier.newInstance(), 1e-5))
                            .build()
                            .run(manager);

            // the weights the cut was made on, saved by the job before it
            try (Model before = Model.newInstance("lenet5")) {
                before.setBlock(ModelCatalog.build("lenet5", data.classes()));
                before.getBlock().initialize(before.getNDManager(), DataType.FLOAT32, data.batchShape(1));
                before.load(regularized, "lenet5");
                List<float[]> cutOn = weights(before, data);
                List<float[]> now = weights(model, data);
                Assert.assertEquals(now.size(), cutOn.size());
                float threshold = new WeightPruner(graph(before, data)).thresholdKeepingAtMost(KEEP);
                Assert.assertTrue(threshold > 0, "a count below the weights cuts at a positive magnitude: " + threshold);
                Assert.assertEquals(result.threshold().toString(), MagnitudeThreshold.absolute(threshold).toString());
                long keptAtCut = 0;
                long nonzero = 0;
                long total = 0;
                boolean moved = false;
                for (int layer = 0; layer < now.size(); layer++) {
                    float[] was = cutOn.get(layer);
                    float[] is = now.get(layer);
                    for (int i = 0; i < is.length; i++) {
                        if (Math.abs(was[i]) < threshold) {
                            Assert.assertEquals(is[i], 0f, "weight " + i + " of layer " + layer + " was below the cut");
                        } else {
                            keptAtCut++;
                            moved |= is[i] != was[i];
                        }
                        nonzero += is[i] != 0 ? 1 : 0;
                    }
                    total += is.length;
                }
                Assert.assertTrue(moved, "fine-tuning trained the kept weights");
                Assert.assertEquals(result.pruned().totalNonzero(), keptAtCut);
                Assert.assertTrue(keptAtCut <= KEEP && keptAtCut > KEEP - 10, "kept " + keptAtCut);
                Assert.assertEquals(total, LENET5_WEIGHTS);
                Assert.assertEquals(result.sparsity().totalWeights(), total);
                Assert.assertEquals(result.sparsity().totalNonzero(), nonzero);
                Assert.assertEquals(result.nonzeroFraction(), nonzero / (double) total, 1e-12);
                Assert.assertTrue(nonzero <= keptAtCut, nonzero + " non-zero after fine-tuning, " + keptAtCut + " kept");
            }

            Assert.assertEquals(result.regularizedTraining().size(), 1);
            Assert.assertEquals(result.fineTuning().size(), 1);
            for (EpochSummary epoch : concat(result.regularizedTraining(), result.fineTuning())) {
                assertAccuracy(epoch.validationAccuracy());
                Assert.assertTrue(Float.isFinite(epoch.trainLoss()), epoch.toString());
            }
            assertAccuracy(result.validationBeforePruning());
            assertAccuracy(result.validationAfterPruning());
            assertAccuracy(result.testAccuracy());
            // the reported accuracies are the final sparse network's
            Assert.assertEquals(result.testAccuracy(), Evaluation.accuracy(model.getBlock(), data.test(), manager), 1e-12);
            Assert.assertEquals(
                    result.fineTuning().get(0).validationAccuracy(),
                    Evaluation.accuracy(model.getBlock(), data.validation(), manager),
                    1e-6);
            assertExported(pt, model, data);
        }
    }

    @Test
    public void noEpochsCutTheModelAsGivenAndTrainNothing() throws Exception {
        Path regularized = Files.createTempDirectory("sparsify-job-cut").resolve("regularized");
        try (NDManager manager = NDManager.newBaseManager();
                Model model = Model.newInstance("lenet5")) {
            DataSplits data = lenet5(manager, model);
            List<float[]> given = weights(model, data);
            SparsifyResult result =
                    SparsifyJob.builder()
                            .setModel(model)
                            .setData(data, BATCH)
                            .optEpochs(0)
                            .optCut(WeightCut.below(MagnitudeThreshold.stdMultiple(0.5f)))
                            .optFineTuning(FineTuning.NONE)
                            .optRegularizedFolder(regularized)
                            .build()
                            .run(manager);
            Assert.assertTrue(result.regularizedTraining().isEmpty());
            Assert.assertTrue(result.fineTuning().isEmpty());
            Assert.assertFalse(Files.exists(regularized), "nothing was trained, so nothing is saved");
            Assert.assertEquals(result.threshold().toString(), "|w| < 0.5·std");
            List<float[]> now = weights(model, data);
            long kept = 0;
            for (int layer = 0; layer < now.size(); layer++) {
                float[] was = given.get(layer);
                float[] is = now.get(layer);
                // the std of the tensor as it was given, which the cut measured
                float limit = standardDeviation(was) * 0.5f;
                for (int i = 0; i < is.length; i++) {
                    if (Math.abs(was[i]) < limit * (1 - 1e-4f)) {
                        Assert.assertEquals(is[i], 0f, "layer " + layer + " weight " + i);
                    } else if (Math.abs(was[i]) > limit * (1 + 1e-4f)) {
                        Assert.assertEquals(is[i], was[i], "layer " + layer + " weight " + i + " is kept as it was");
                    }
                    kept += is[i] != 0 ? 1 : 0;
                }
            }
            Assert.assertEquals(result.pruned(), result.sparsity(), "no fine-tuning: the cut is the result");
            Assert.assertEquals(result.sparsity().totalNonzero(), kept);
            Assert.assertTrue(kept > 0 && kept < LENET5_WEIGHTS, "kept " + kept + " of " + LENET5_WEIGHTS);
        }
    }

    @Test
    public void anIncompleteJobIsRefusedNamingWhatIsMissing() {
        IllegalArgumentException missing =
                Assert.expectThrows(IllegalArgumentException.class, () -> SparsifyJob.builder().build());
        Assert.assertTrue(missing.getMessage().contains("setModel"), missing.getMessage());
        Assert.assertTrue(missing.getMessage().contains("setData"), missing.getMessage());
        try (Model uninitialised = Model.newInstance("lenet5")) {
            uninitialised.setBlock(ModelCatalog.build("lenet5", 10));
            IllegalArgumentException notReady =
                    Assert.expectThrows(
                            IllegalArgumentException.class, () -> SparsifyJob.builder().setModel(uninitialised).build());
            Assert.assertTrue(notReady.getMessage().contains("initialised"), notReady.getMessage());
        }
        Assert.expectThrows(IllegalArgumentException.class, () -> SparsifyJob.builder().optEpochs(-1));
        Assert.expectThrows(IllegalArgumentException.class, () -> SparsifyJob.builder().optAlpha(Float.NaN));
        Assert.expectThrows(IllegalArgumentException.class, () -> SparsifyJob.builder().optCut(null));
        Assert.expectThrows(IllegalArgumentException.class, () -> WeightCut.keepingAtMost(0));
        Assert.expectThrows(IllegalArgumentException.class, () -> WeightCut.keepingAtMostByStd(-3));
    }

    private static DataSplits lenet5(NDManager manager, Model model) {
        // a fixed seed: otherwise the starting weights depend on what ran before in this JVM
        Engine.getInstance().setRandomSeed(1234);
        DataSplits data = SyntheticImages.builder().optSizes(256, 64, 64).optBatchSize(BATCH).optSeed(3).build(manager);
        model.setBlock(ModelCatalog.build("lenet5", data.classes()));
        model.getBlock().initialize(manager, DataType.FLOAT32, data.batchShape(1));
        return data;
    }

    private static ChannelGraph graph(Model model, DataSplits data) {
        return ChannelGraph.builder()
                .setInputShape(data.batchShape(1))
                .setClassifier(DjlOpClassifier.newInstance())
                .build(model.getBlock());
    }

    /** The weights of every convolution and linear layer, copied, in execution order. */
    private static List<float[]> weights(Model model, DataSplits data) {
        List<float[]> values = new ArrayList<>();
        for (LayerNode node : graph(model, data).layers()) {
            if (node.op() instanceof Conv2dOp || node.op() instanceof LinearOp) {
                Parameter weight = node.block().getParameters().get("weight");
                values.add(weight.getArray().toFloatArray());
            }
        }
        return values;
    }

    private static float standardDeviation(float[] values) {
        double mean = 0;
        for (float v : values) {
            mean += v;
        }
        mean /= values.length;
        double squares = 0;
        for (float v : values) {
            squares += (v - mean) * (v - mean);
        }
        return (float) Math.sqrt(squares / values.length);
    }

    private static List<EpochSummary> concat(List<EpochSummary> first, List<EpochSummary> second) {
        List<EpochSummary> all = new ArrayList<>(first);
        all.addAll(second);
        return all;
    }

    private static void assertAccuracy(double accuracy) {
        Assert.assertTrue(accuracy >= 0 && accuracy <= 1, "an accuracy, got " + accuracy);
    }

    /** The exported file is the sparse network: LibTorch's outputs match the DJL model's, and its plan keeps all. */
    private static void assertExported(Path pt, Model model, DataSplits data) throws Exception {
        Assert.assertTrue(Files.isRegularFile(pt));
        try (LoadedTorchScript loaded = LoadedTorchScript.load(pt, Device.cpu(), TorchScriptExport.PLAN_ENTRY);
                NDManager manager = NDManager.newBaseManager()) {
            MaskPlan plan = MaskPlanJson.fromJson(loaded.extraFile(TorchScriptExport.PLAN_ENTRY).orElseThrow(), pt.toString());
            Assert.assertEquals(plan.getMethod(), SparsifyJob.METHOD);
            Assert.assertEquals(plan.getAchievedRatio(), 1.0, 1e-12, "every channel kept");
            NDList input = new NDList(manager.randomNormal(new Shape(3).addAll(data.batchShape(1).slice(1))));
            NDList exported = loaded.predict(input);
            Assert.assertEquals(exported.head().getShape(), new Shape(3, 10));
            NDList djl = model.getBlock().forward(new ParameterStore(manager, false), input, false);
            float difference = exported.head().sub(djl.head()).abs().max().getFloat();
            Assert.assertTrue(difference < 1e-4f, "LibTorch and DJL differ by " + difference);
        }
    }
}
