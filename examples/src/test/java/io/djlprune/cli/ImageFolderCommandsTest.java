package io.djlprune.cli;

import static io.djlprune.cli.CliRun.assertOneLineError;
import static io.djlprune.cli.CliRun.assertUsageError;
import static io.djlprune.cli.CliRun.run;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.djl.training.dataset.Batch;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.djlprune.data.DataSplits;
import io.djlprune.export.onnx.OnnxExport;
import io.djlprune.export.onnx.OnnxRuntimeModel;
import io.djlprune.zoo.data.ImageFolderData;
import io.djlprune.zoo.torch.TorchvisionImport;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.testng.Assert;
import org.testng.annotations.BeforeClass;
import org.testng.annotations.Test;
import picocli.CommandLine;

/**
 * An image folder drawn and a torchvision ResNet-18 trained in PyTorch (a few steps), then read here: the same input
 * tensors, logits and test accuracy as PyTorch; a prune run on the folder whose {@code model.pt} PyTorch runs at the
 * accuracy its report states; and every refused combination of data, model and weights.
 */
public class ImageFolderCommandsTest {

    private static final int SIZE = 32;
    private static final int RESIZE = 36;

    private Path dir;
    private Path data;
    private Path weights;
    private JsonObject pytorch;
    private PythonImageFolder python;

    @BeforeClass
    public void makeFolderAndModel() throws Exception {
        dir = Files.createTempDirectory("image-folder-cli");
        python = PythonImageFolder.in(dir);
        data = dir.resolve("images");
        // 3 classes: 16 training and 10 test images each, no val/ (held out of train/)
        python.call("make", data, 3, 16, 0, 10, 1);
        weights = dir.resolve("model.pth");
        python.call("train", data, SIZE, RESIZE, 30, 0, weights);
        pytorch = JsonParser.parseString(Files.readString(Path.of(weights + ".json"))).getAsJsonObject();
    }

    private String[] folderOptions(String... more) {
        List<String> args = new ArrayList<>(List.of("--dataset", "imagefolder", "--data-dir", data.toString(),
                "--image-size", Integer.toString(SIZE), "--resize", Integer.toString(RESIZE)));
        args.addAll(List.of(more));
        return args.toArray(new String[0]);
    }

    private static String[] concat(String[] a, String... b) {
        List<String> all = new ArrayList<>(List.of(a));
        all.addAll(List.of(b));
        return all.toArray(new String[0]);
    }

    @Test
    public void inputTensorsAreTorchvisionsBitForBit() throws Exception {
        Path tensors = dir.resolve("test-tensors.bin");
        python.call("tensors", data, "test", SIZE, RESIZE, tensors);
        ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(tensors)).order(ByteOrder.LITTLE_ENDIAN);
        float[] expected = new float[bytes.remaining() / 4];
        bytes.asFloatBuffer().get(expected);
        DataSplits splits = ImageFolderData.builder().setDirectory(data).optImageSize(SIZE).optResize(RESIZE)
                .optBatchSize(30).build();
        try (NDManager manager = NDManager.newBaseManager()) {
            float[] actual;
            try (Batch batch = splits.test().getData(manager).iterator().next()) {
                actual = batch.getData().singletonOrThrow().toFloatArray();
            }
            Assert.assertEquals(actual.length, expected.length);
            for (int i = 0; i < actual.length; i++) {
                if (actual[i] != expected[i]) {
                    Assert.fail("value " + i + " differs: " + actual[i] + " here, " + expected[i] + " in torchvision");
                }
            }
        }
    }

    @Test
    public void importedModelGivesPyTorchsLogitsAndAccuracy() throws Exception {
        DataSplits splits = ImageFolderData.builder().setDirectory(data).optImageSize(SIZE).optResize(RESIZE)
                .optBatchSize(30).build();
        Assert.assertEquals(splits.classNames(), List.of("class_a", "class_b", "class_c"));
        JsonArray expected = pytorch.getAsJsonArray("logits");
        try (NDManager manager = NDManager.newBaseManager()) {
            Block block = TorchvisionImport.load("torchvision-resnet18", weights, manager);
            float[] logits;
            try (Batch batch = splits.test().getData(manager).iterator().next()) {
                NDList out = block.forward(new ParameterStore(manager, false), batch.getData(), false);
                logits = out.singletonOrThrow().toFloatArray();
            }
            Assert.assertEquals(logits.length, expected.size());
            double largest = 0;
            for (int i = 0; i < logits.length; i++) {
                largest = Math.max(largest, Math.abs(logits[i] - expected.get(i).getAsFloat()));
            }
            Assert.assertTrue(largest < 1e-3, "largest logit difference " + largest + " (PyTorch accuracy "
                    + pytorch.get("accuracy") + ")");
        }

        StringWriter stdout = new StringWriter();
        CommandLine eval = DjlPrune.commandLine();
        eval.setOut(new PrintWriter(stdout, true));
        StringWriter stderr = new StringWriter();
        eval.setErr(new PrintWriter(stderr, true));
        int exit = eval.execute(concat(new String[] {"eval", "--model", "torchvision-resnet18", "--weights",
                weights.toString()}, folderOptions("--repeats", "1")));
        Assert.assertEquals(exit, 0, stderr.toString());
        JsonObject result = JsonParser.parseString(stdout.toString()).getAsJsonObject();
        Assert.assertEquals(result.get("testImages").getAsInt(), 30);
        Assert.assertEquals(result.get("testAccuracy").getAsDouble(), pytorch.get("accuracy").getAsDouble(), 0.002);
        Assert.assertEquals(result.getAsJsonArray("classes").size(), 3);
    }

    @Test
    public void prunedModelRunsInPyTorchAtTheReportedAccuracy() throws Exception {
        Path out = dir.resolve("pruned");
        CliRun pruned = run(concat(new String[] {"prune", "--model", "torchvision-resnet18", "--weights",
                weights.toString(), "--budget", "flops=0.5", "--method", "l1", "--finetune-epochs", "1",
                "--batch-size", "16", "--output", out.toString()}, folderOptions()));
        Assert.assertEquals(pruned.exitCode(), 0, pruned.err());
        JsonObject report = JsonParser.parseString(Files.readString(out.resolve(PruneCommand.REPORT_FILE)))
                .getAsJsonObject();
        Assert.assertEquals(report.get("weights").getAsString(), weights.toString());
        Assert.assertEquals(report.getAsJsonArray("classNames").size(), 3);
        double stated = report.get("finalTestAccuracy").getAsDouble();
        JsonObject inPyTorch = JsonParser.parseString(
                python.call("jit", out.resolve(PruneCommand.MODEL_FILE), data, SIZE, RESIZE).strip()).getAsJsonObject();
        Assert.assertEquals(inPyTorch.get("accuracy").getAsDouble(), stated, 0.002);
        Assert.assertEquals(inPyTorch.getAsJsonArray("classes").toString(), "[\"class_a\",\"class_b\",\"class_c\"]");
        Assert.assertTrue(report.get("achieved").getAsJsonObject().get("flops").getAsDouble() <= 0.5 + 1e-9);
        Assert.assertEquals(report.getAsJsonArray("inputShape").toString(), "[3," + SIZE + "," + SIZE + "]");
        Assert.assertEquals(report.get("classes").getAsInt(), 3);

        // export --from has no data of its own: the input shape and classes come from the run's report
        Path again = dir.resolve("again.pt");
        CliRun exported = run("export", "--from", out.toString(), "--output", again.toString());
        Assert.assertEquals(exported.exitCode(), 0, exported.err());
        JsonObject againInPyTorch =
                JsonParser.parseString(python.call("jit", again, data, SIZE, RESIZE).strip()).getAsJsonObject();
        Assert.assertEquals(againInPyTorch.get("accuracy").getAsDouble(), stated, 0.002);
        Assert.assertEquals(againInPyTorch.get("classes").toString(), "[\"class_a\",\"class_b\",\"class_c\"]");
        Path onnx = dir.resolve("again.onnx");
        CliRun exportedOnnx = run("export", "--from", out.toString(), "--format", "onnx", "--output", onnx.toString());
        Assert.assertEquals(exportedOnnx.exitCode(), 0, exportedOnnx.err());
        try (OnnxRuntimeModel model = OnnxRuntimeModel.load(onnx, 0)) {
            Assert.assertEquals(model.metadata().get(OnnxExport.CLASSES_KEY).replaceAll("\\s", ""),
                    "[\"class_a\",\"class_b\",\"class_c\"]");
        }
        StringWriter stdout = new StringWriter();
        CommandLine eval = DjlPrune.commandLine();
        eval.setOut(new PrintWriter(stdout, true));
        StringWriter stderr = new StringWriter();
        eval.setErr(new PrintWriter(stderr, true));
        Assert.assertEquals(eval.execute(concat(new String[] {"eval", "--onnx", onnx.toString(), "--repeats", "1"},
                folderOptions())), 0, stderr.toString());
        Assert.assertEquals(JsonParser.parseString(stdout.toString()).getAsJsonObject().get("testAccuracy")
                .getAsDouble(), stated, 0.002);

        Path two = dir.resolve("two-classes-finetune");
        python.call("make", two, 2, 3, 0, 2, 5);
        CliRun refused = run("finetune", "--from", out.toString(), "--epochs", "1", "--dataset", "imagefolder",
                "--data-dir", two.toString(), "--image-size", Integer.toString(SIZE), "--output",
                dir.resolve("finetune-refused").toString());
        assertOneLineError(refused, "was pruned on the classes [class_a, class_b, class_c], but the data has"
                + " [class_a, class_b]");
    }

    @Test
    public void weightsAreRefusedForOtherModelsAndWithPretrained() throws Exception {
        assertUsageError(run(concat(new String[] {"eval", "--model", "lenet5", "--weights", weights.toString()},
                folderOptions())), "'lenet5' is not a torchvision architecture; use one of torchvision-resnet18");
        assertUsageError(run(concat(new String[] {"prune", "--model", "torchvision-resnet18", "--budget",
                "flops=0.5", "--weights", weights.toString(), "--pretrained", dir.toString()}, folderOptions())),
                "--weights and --pretrained both give the dense model to prune; give one");
        assertUsageError(run("train", "--model", "torchvision-resnet18", "--weights", weights.toString()),
                "--weights needs --dataset imagefolder");
        assertUsageError(run("eval", "--weights", weights.toString(), "--pt", weights.toString()),
                "--model and --weights go together");
        assertUsageError(run(concat(new String[] {"train", "--model", "lenet5"}, folderOptions("--mean", "0.5,0.5"))),
                "expected 3 comma-separated numbers");
        assertUsageError(run("train", "--model", "lenet5", "--dataset", "imagefolder"), "needs --data-dir DIR");
        assertUsageError(run("train", "--model", "lenet5", "--dataset", "cifar"), "Unknown --dataset 'cifar'");
        assertUsageError(run("train", "--model", "lenet5", "--image-size", "64"), "options of --dataset imagefolder");
    }

    @Test
    public void modelWithAnotherClassCountIsRefused() throws Exception {
        Path two = dir.resolve("two-classes");
        python.call("make", two, 2, 3, 0, 2, 2);
        CliRun eval = run(concat(new String[] {"eval", "--model", "torchvision-resnet18", "--weights",
                weights.toString(), "--dataset", "imagefolder", "--data-dir", two.toString(), "--image-size", "32"}));
        assertOneLineError(eval, weights + " is a torchvision-resnet18 with 3 classes");
        Assert.assertTrue(eval.err().contains("the data has 2 classes [class_a, class_b]"), eval.err());
    }

    @Test
    public void trainingStartsFromWeightsAndChecksTheirClasses() throws Exception {
        Path out = dir.resolve("trained-from-weights");
        CliRun trained = run(concat(new String[] {"train", "--model", "torchvision-resnet18", "--weights",
                weights.toString(), "--epochs", "1", "--limit", "12", "--batch-size", "12", "--output",
                out.toString()}, folderOptions("--augment")));
        Assert.assertEquals(trained.exitCode(), 0, trained.err());
        JsonObject report = JsonParser.parseString(Files.readString(out.resolve("train-report.json")))
                .getAsJsonObject();
        Assert.assertEquals(report.get("weights").getAsString(), weights.toString());
        Assert.assertEquals(report.get("dataset").getAsString(), "imagefolder:" + data);
        Assert.assertTrue(report.get("testSet").getAsString().endsWith("test (12 images)"), report.toString());
        Assert.assertTrue(report.get("testAccuracy").getAsDouble() >= 0);

        Path two = dir.resolve("two-classes-train");
        python.call("make", two, 2, 3, 0, 2, 4);
        CliRun refused = run("train", "--model", "torchvision-resnet18", "--weights", weights.toString(), "--epochs",
                "1", "--dataset", "imagefolder", "--data-dir", two.toString(), "--image-size", "32", "--output",
                dir.resolve("refused").toString());
        assertOneLineError(refused, "with 3 classes");
        Assert.assertFalse(Files.exists(dir.resolve("refused")), "a refused run leaves no folder");
    }

    @Test
    public void folderWithoutTestReportsTestAccuracyAbsent() throws Exception {
        Path noTest = dir.resolve("no-test");
        python.call("make", noTest, 2, 6, 3, 0, 3);
        Path out = dir.resolve("trained-no-test");
        CliRun trained = run("train", "--model", "resnet20", "--epochs", "1", "--batch-size", "6",
                "--dataset", "imagefolder", "--data-dir", noTest.toString(), "--image-size", "32",
                "--output", out.toString());
        Assert.assertEquals(trained.exitCode(), 0, trained.err());
        JsonObject report = JsonParser.parseString(Files.readString(out.resolve("train-report.json")))
                .getAsJsonObject();
        Assert.assertFalse(report.has("testAccuracy"), report.toString());
        Assert.assertTrue(report.get("testSet").getAsString().startsWith("absent: " + noTest + " has no test/"));
        Assert.assertEquals(report.getAsJsonArray("classNames").size(), 2);
        assertUsageError(run("sweep", "--model", "resnet20", "--dataset", "imagefolder", "--data-dir",
                noTest.toString(), "--output", dir.resolve("sweep").toString()), "has no test/ folder");
    }
}
