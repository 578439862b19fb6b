package io.djlprune.cli;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.djl.training.dataset.Batch;
import ai.djl.training.dataset.RandomAccessDataset;
import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.djlprune.cost.BudgetKind;
import io.djlprune.cost.CostModel;
import io.djlprune.data.DataSplits;
import io.djlprune.engine.Engines;
import io.djlprune.engine.Latency;
import io.djlprune.engine.LatencyProbe;
import io.djlprune.engine.LoadedTorchScript;
import io.djlprune.export.TorchScriptExport;
import io.djlprune.export.onnx.OnnxExport;
import io.djlprune.export.onnx.OnnxRuntimeModel;
import io.djlprune.graph.ChannelGraph;
import io.djlprune.zoo.model.ModelCatalog;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code djl-prune eval}: test accuracy, parameters, FLOPs and latency of an exported {@code .pt} (LibTorch), an
 * exported {@code .onnx} (ONNX Runtime) or a model saved by {@code djl-prune train}. Latency here is
 * {@link LatencyProbe}'s quick median over repeated forwards after a warm-up; the JMH benchmarks are the careful
 * measurement.
 */
@Command(
        name = "eval",
        mixinStandardHelpOptions = true,
        description =
                "Accuracy, parameters, FLOPs and latency of a TorchScript .pt, an ONNX file, a trained DJL model or a"
                        + " torchvision model's PyTorch state_dict (--model with --weights).")
final class EvalCommand implements Callable<Integer> {

    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().create();

    @CommandLine.Spec private CommandLine.Model.CommandSpec spec;

    @ArgGroup(multiplicity = "1")
    Target target;

    /** Exactly one thing to evaluate. */
    static final class Target {
        @Option(names = "--pt", paramLabel = "FILE", description = "A TorchScript archive (e.g. a prune run's model.pt).")
        Path pt;

        @Option(names = "--model-dir", paramLabel = "DIR", description = "Output folder of 'djl-prune train'.")
        Path modelDir;

        @Option(
                names = "--onnx",
                paramLabel = "FILE",
                description = "An ONNX file (e.g. a prune run's model.onnx), run in ONNX Runtime on the CPU.")
        Path onnx;

        @Option(
                names = "--model",
                paramLabel = "NAME",
                description = "A torchvision-* architecture whose PyTorch state_dict --weights gives.")
        String model;
    }

    @Mixin WeightsOption weights;

    @Option(
            names = "--repeats",
            description = "Forwards timed per batch size after a warm-up; the median is reported (default: ${DEFAULT-VALUE}).")
    int repeats = 20;

    @Mixin DeviceOption device;

    @Mixin DataOptions data;

    /** {@inheritDoc} */
    @Override
    public Integer call() throws Exception {
        if (repeats < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--repeats must be ≥ 1, got " + repeats);
        }
        data.check(spec);
        if ((target.model != null) != weights.given()) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--model and --weights go together: eval --model torchvision-resnet18 --weights model.pth");
        }
        if (target.model != null) {
            weights.check(spec, target.model, data);
        }
        Device runDevice = device.resolve(spec);
        Map<String, Object> result = new LinkedHashMap<>();
        try (NDManager manager = NDManager.newBaseManager(runDevice)) {
            DataSplits splits = data.load(manager);
            result.put("dataset", data.describe());
            if (!splits.classNames().isEmpty()) {
                result.put("classes", splits.classNames());
            }
            if (target.model != null) {
                try (Model model = Model.newInstance(target.model, runDevice, Engines.PYTORCH)) {
                    Block block = weights.load(target.model, splits, model.getNDManager());
                    model.setBlock(block);
                    result.put("model", target.model);
                    result.put("weights", weights.weights.toString());
                    putCost(result, block, splits.batchShape(1));
                    ParameterStore store = new ParameterStore(manager, false);
                    measure(result, x -> block.forward(store, x, false), splits, manager);
                }
            } else if (target.pt != null) {
                try (LoadedTorchScript loaded =
                        LoadedTorchScript.load(target.pt, runDevice, TorchScriptExport.REPORT_ENTRY,
                                TorchScriptExport.CLASSES_ENTRY)) {
                    result.put("file", target.pt.toString());
                    checkClassNames(target.pt, loaded.extraFile(TorchScriptExport.CLASSES_ENTRY), splits);
                    loaded.extraFile(TorchScriptExport.REPORT_ENTRY).ifPresent(report -> putSize(result, report));
                    measure(result, loaded::predict, splits, manager);
                }
            } else if (target.onnx != null) {
                try (OnnxRuntimeModel model = OnnxRuntimeModel.load(target.onnx, 0)) {
                    result.put("file", target.onnx.toString());
                    result.put("runtime", "ONNX Runtime (CPU)");
                    checkClassNames(target.onnx, Optional.ofNullable(model.metadata().get(OnnxExport.CLASSES_KEY)),
                            splits);
                    String report = model.metadata().get(OnnxExport.REPORT_KEY);
                    if (report != null) {
                        putSize(result, report);
                    }
                    measure(result, x -> onnxForward(model, x), splits, manager);
                }
            } else {
                JsonObject report =
                        JsonParser.parseString(
                                        Files.readString(target.modelDir.resolve("train-report.json"), StandardCharsets.UTF_8))
                                .getAsJsonObject();
                String name = report.get("model").getAsString();
                try (Model model = Model.newInstance(name, runDevice, Engines.PYTORCH)) {
                    model.setBlock(ModelCatalog.build(name, splits.classes()));
                    Shape input = splits.batchShape(1);
                    model.getBlock().initialize(model.getNDManager(), DataType.FLOAT32, input);
                    model.load(target.modelDir, name);
                    Block block = model.getBlock();
                    result.put("model", name);
                    putCost(result, block, input);
                    ParameterStore store = new ParameterStore(manager, false);
                    measure(result, x -> block.forward(store, x, false), splits, manager);
                }
            }
        }
        spec.commandLine().getOut().println(GSON.toJson(result));
        return 0;
    }

    /** Refuses a .pt or .onnx whose stored class names (an image-folder run's) differ from the data's. */
    private static void checkClassNames(Path file, Optional<String> stored, DataSplits splits) {
        if (stored.isEmpty() || splits.classNames().isEmpty()) {
            return;
        }
        List<String> names = new ArrayList<>();
        JsonParser.parseString(stored.get()).getAsJsonArray().forEach(name -> names.add(name.getAsString()));
        if (!names.equals(splits.classNames())) {
            throw new IllegalArgumentException(file + " was trained on the classes " + names + ", but the data has "
                    + splits.classNames() + "; evaluate it on the data it was trained for");
        }
    }

    private static void putCost(Map<String, Object> result, Block block, Shape input) {
        CostModel cost =
                new CostModel(
                        ChannelGraph.builder().setInputShape(input).setClassifier(CompactModels.CLASSIFIER).build(block));
        result.put("parameters", cost.full(BudgetKind.PARAMETERS));
        result.put("flops", cost.full(BudgetKind.FLOPS));
    }

    private static void putSize(Map<String, Object> result, String reportJson) {
        JsonObject json = JsonParser.parseString(reportJson).getAsJsonObject();
        result.put("parameters", json.get("parameters").getAsLong());
        result.put("flops", json.get("flops").getAsLong());
    }

    /** One forward through ONNX Runtime, its output created where the input lives (the copies are timed too). */
    private static NDList onnxForward(OnnxRuntimeModel model, NDList input) {
        NDArray x = input.singletonOrThrow();
        try {
            OnnxRuntimeModel.Output y = model.predict(x.toType(DataType.FLOAT32, false).toFloatArray(),
                    x.getShape().getShape());
            return new NDList(x.getManager().create(y.values(), new Shape(y.shape())));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void measure(
            Map<String, Object> result, Function<NDList, NDList> forward, DataSplits splits, NDManager manager)
            throws Exception {
        long correct = 0;
        long total = 0;
        // the test set, or (an image folder without test/) the validation set, named in the result
        RandomAccessDataset images = splits.hasTest() ? splits.test() : splits.validation();
        for (Batch batch : images.getData(manager)) {
            try (batch; NDManager scope = manager.newSubManager()) {
                NDList input = batch.getData();
                input.attach(scope);
                NDArray logits = forward.apply(input).singletonOrThrow();
                if (logits.getShape().dimension() != 2 || logits.getShape().get(1) != splits.classes()) {
                    throw new IllegalArgumentException("The model gives outputs of shape " + logits.getShape()
                            + " per batch, but the data has " + splits.classes() + " classes"
                            + (splits.classNames().isEmpty() ? "" : " " + splits.classNames())
                            + "; evaluate it on the data it was trained for");
                }
                NDArray predicted = logits.argMax(1);
                NDArray labels = batch.getLabels().head().toType(predicted.getDataType(), false);
                correct += predicted.eq(labels).countNonzero().getLong();
                total += predicted.size();
            }
        }
        if (total == 0) {
            throw new IllegalStateException("The test set is empty");
        }
        if (splits.hasTest()) {
            result.put("testAccuracy", (double) correct / total);
            result.put("testImages", total);
        } else {
            result.put("testAccuracy", "absent: " + data.dataDir + " has no test/ folder; validationAccuracy is"
                    + " measured on the validation images instead");
            result.put("validationAccuracy", (double) correct / total);
            result.put("validationImages", total);
        }
        LatencyProbe probe = LatencyProbe.builder().optRepeats(repeats).build();
        for (int batchSize : new int[] {1, 64}) {
            Latency latency = probe.measure(forward, manager, splits.batchShape(batchSize));
            result.put("latencyMsBatch" + batchSize, latency.medianMs());
        }
    }
}
