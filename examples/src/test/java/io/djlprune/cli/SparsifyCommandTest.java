package io.djlprune.cli;

import static io.djlprune.cli.CliRun.assertUsageError;
import static io.djlprune.cli.CliRun.run;

import ai.djl.Model;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.djlprune.engine.Engines;
import io.djlprune.graph.ChannelGraph;
import io.djlprune.hoyer.SparsityReport;
import io.djlprune.zoo.model.ModelCatalog;
import java.nio.file.Files;
import java.nio.file.Path;
import org.testng.Assert;
import org.testng.annotations.Test;

/** {@code djl-prune sparsify}: the element-wise DeepHoyer flow on a short run, and its argument errors. */
public class SparsifyCommandTest {

    @Test
    public void sparseWeightsAreSavedReportedAndExported() throws Exception {
        Path out = Files.createTempDirectory("sparsify").resolve("hs");
        CliRun run =
                run("sparsify", "--model", "lenet5", "--pretrain-epochs", "1", "--epochs", "1", "--finetune-epochs", "1",
                        "--keep-weights", "20000", "--limit", "256", "--batch-size", "64", "--output", out.toString());
        Assert.assertEquals(run.exitCode(), 0, run.err());
        JsonObject report =
                JsonParser.parseString(Files.readString(out.resolve(SparsifyCommand.REPORT_FILE))).getAsJsonObject();
        long weights = report.get("weights").getAsLong();
        long nonzero = report.get("nonzero").getAsLong();
        Assert.assertEquals(weights, 430_500L, "LeNet-5's conv and linear weights");
        // one global cut keeps at most the asked-for count (a few less only where magnitudes tie)
        long afterPruning = report.get("nonzeroAfterPruning").getAsLong();
        Assert.assertTrue(afterPruning <= 20_000 && afterPruning > 19_990, report.toString());
        Assert.assertTrue(nonzero > 0 && nonzero <= afterPruning, "fine-tuning revived no weight");
        Assert.assertEquals(report.getAsJsonArray("fineTuning").size(), 1);
        Assert.assertTrue(Files.isRegularFile(out.resolve(PruneCommand.MODEL_FILE)), "the verified TorchScript export");

        // the saved DJL weights are the reported sparse ones
        Shape input = new Shape(1, 1, 28, 28);
        try (Model saved = Model.newInstance("lenet5", Engines.PYTORCH)) {
            saved.setBlock(ModelCatalog.build("lenet5", 10));
            saved.getBlock().initialize(saved.getNDManager(), DataType.FLOAT32, input);
            saved.load(out, "lenet5");
            ChannelGraph graph =
                    ChannelGraph.builder().setInputShape(input).setClassifier(CompactModels.CLASSIFIER).build(saved.getBlock());
            Assert.assertEquals(SparsityReport.of(graph).totalNonzero(), nonzero);
        }

        // the model before the cut is kept: cutting it again, relative to each layer's std, starts where the first cut did
        Path again = out.resolveSibling("hs-std");
        CliRun recut =
                run("sparsify", "--model", "lenet5", "--pretrained", out.resolve(SparsifyCommand.REGULARIZED_FOLDER).toString(),
                        "--epochs", "0", "--finetune-epochs", "0", "--keep-weights", "20000", "--keep-weights-by", "std",
                        "--limit", "256", "--batch-size", "64", "--output", again.toString());
        Assert.assertEquals(recut.exitCode(), 0, recut.err());
        JsonObject second =
                JsonParser.parseString(Files.readString(again.resolve(SparsifyCommand.REPORT_FILE))).getAsJsonObject();
        Assert.assertEquals(
                second.get("validationBeforePruning").getAsDouble(), report.get("validationBeforePruning").getAsDouble(),
                "the saved model is the one the first cut was made on");
        Assert.assertEquals(second.getAsJsonArray("regularizedTraining").size(), 0);
        Assert.assertTrue(second.get("threshold").getAsString().contains("std"), second.toString());
        long stdKept = second.get("nonzeroAfterPruning").getAsLong();
        Assert.assertTrue(stdKept <= 20_000 && stdKept > 19_990, second.toString());
        Assert.assertFalse(Files.exists(again.resolve(SparsifyCommand.REGULARIZED_FOLDER)), "nothing was trained here");
    }

    @Test
    public void badKnobsAreUsageErrorsAndWriteNothing() throws Exception {
        Path out = Files.createTempDirectory("sparsify").resolve("out");
        String o = out.toString();
        assertUsageError(run("sparsify", "--model", "lenet5", "--alpha", "-1", "--output", o), "--alpha");
        assertUsageError(run("sparsify", "--model", "lenet5", "--threshold", "-0.1", "--output", o), "--threshold");
        assertUsageError(run("sparsify", "--model", "lenet5", "--threshold-std", "-1", "--output", o), "--threshold-std");
        assertUsageError(
                run("sparsify", "--model", "lenet5", "--threshold", "0.1", "--threshold-std", "1", "--output", o),
                "one of --threshold, --threshold-std and --keep-weights");
        assertUsageError(run("sparsify", "--model", "lenet5", "--keep-weights", "0", "--output", o), "--keep-weights");
        assertUsageError(run("sparsify", "--model", "lenet5", "--regularizer", "l1", "--output", o), "Unknown --regularizer 'l1'");
        assertUsageError(run("sparsify", "--model", "nosuchnet", "--output", o), "nosuchnet");
        assertUsageError(
                run("sparsify", "--model", "lenet5", "--keep-weights", "8000", "--keep-weights-by", "l0", "--output", o),
                "Unknown --keep-weights-by 'l0'");
        assertUsageError(run("sparsify", "--model", "lenet5", "--keep-weights-by", "std", "--output", o), "give --keep-weights");
        assertUsageError(run("sparsify", "--model", "lenet5", "--epochs", "0", "--output", o), "--pretrained");
        Assert.assertFalse(Files.exists(out));
    }
}
