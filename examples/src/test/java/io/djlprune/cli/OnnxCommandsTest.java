package io.djlprune.cli;

import static io.djlprune.cli.CliRun.assertUsageError;
import static io.djlprune.cli.CliRun.run;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.djlprune.export.onnx.OnnxExport;
import io.djlprune.export.onnx.OnnxRuntimeModel;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.testng.Assert;
import org.testng.annotations.Test;
import picocli.CommandLine;

/** {@code prune --export torchscript,onnx}, {@code export --format onnx} and {@code eval --onnx}. */
public class OnnxCommandsTest {

    @Test
    public void pruneExportsBothFormatsAndEvalAndExportReadTheOnnx() throws Exception {
        Path dir = Files.createTempDirectory("onnx-cli");
        Path out = dir.resolve("l1");
        CliRun pruned = run("prune", "--model", "lenet5", "--method", "l1", "--budget", "flops=0.5",
                "--pretrain-epochs", "0", "--finetune-epochs", "0", "--limit", "64", "--batch-size", "32",
                "--export", "torchscript,onnx", "--output", out.toString());
        Assert.assertEquals(pruned.exitCode(), 0, pruned.err());
        Assert.assertTrue(Files.isRegularFile(out.resolve(PruneCommand.MODEL_FILE)));
        Path onnx = out.resolve("model.onnx");
        Assert.assertTrue(Files.isRegularFile(onnx));
        JsonObject report =
                JsonParser.parseString(Files.readString(out.resolve(PruneCommand.REPORT_FILE))).getAsJsonObject();
        try (OnnxRuntimeModel model = OnnxRuntimeModel.load(onnx, 1)) {
            JsonObject exported = JsonParser.parseString(model.metadata().get(OnnxExport.REPORT_KEY)).getAsJsonObject();
            Assert.assertEquals(exported.get("parameters").getAsLong(), report.get("parameters").getAsLong());
            Assert.assertEquals(
                    exported.get("testAccuracy").getAsDouble(), report.get("finalTestAccuracy").getAsDouble(), 1e-12);
        }

        StringWriter stdout = new StringWriter();
        CommandLine eval = DjlPrune.commandLine();
        eval.setOut(new PrintWriter(stdout, true));
        Assert.assertEquals(eval.execute("eval", "--onnx", onnx.toString(), "--limit", "128", "--repeats", "2"), 0);
        JsonObject evaluated = JsonParser.parseString(stdout.toString()).getAsJsonObject();
        Assert.assertEquals(evaluated.get("parameters").getAsLong(), report.get("parameters").getAsLong());
        Assert.assertTrue(evaluated.get("testAccuracy").getAsDouble() >= 0);
        Assert.assertTrue(evaluated.get("latencyMsBatch64").getAsDouble() > 0);

        Path again = dir.resolve("again.onnx");
        CliRun export = run("export", "--from", out.toString(), "--format", "onnx", "--output", again.toString());
        Assert.assertEquals(export.exitCode(), 0, export.err());
        Assert.assertTrue(Files.isRegularFile(again));
        assertUsageError(
                run("export", "--from", out.toString(), "--format", "onnx", "--output", dir.resolve("x.pt").toString()),
                "--output must name a .onnx file for --format onnx");
        assertUsageError(
                run("export", "--from", out.toString(), "--format", "tflite", "--output", again.toString()),
                "Unknown export format 'tflite': use torchscript or onnx");
        assertUsageError(
                run("prune", "--model", "lenet5", "--budget", "flops=0.5", "--export", "torchscript,keras"),
                "Unknown export format 'keras'");
    }

    @Test
    public void pruneExportsTorchScriptOnlyByDefault() throws Exception {
        Path out = Files.createTempDirectory("onnx-cli").resolve("default");
        CliRun pruned = run("prune", "--model", "lenet300", "--method", "l1", "--budget", "params=0.5",
                "--pretrain-epochs", "0", "--finetune-epochs", "0", "--limit", "64", "--batch-size", "32",
                "--output", out.toString());
        Assert.assertEquals(pruned.exitCode(), 0, pruned.err());
        Assert.assertTrue(Files.isRegularFile(out.resolve(PruneCommand.MODEL_FILE)));
        Assert.assertFalse(Files.exists(out.resolve("model.onnx")));
    }
}
