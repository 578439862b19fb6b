package io.djlprune.cli;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.google.gson.Gson;
import com.google.gson.JsonParseException;
import io.djlprune.compact.CompactionResult;
import io.djlprune.compact.Compactor;
import io.djlprune.cost.Budget;
import io.djlprune.cost.BudgetKind;
import io.djlprune.cost.CostModel;
import io.djlprune.engine.Engines;
import io.djlprune.engine.LoadedTorchScript;
import io.djlprune.export.ExportReport;
import io.djlprune.export.TorchScriptExport;
import io.djlprune.graph.ChannelGraph;
import io.djlprune.graph.ChannelMask;
import io.djlprune.mask.MaskPlan;
import io.djlprune.zoo.model.ModelCatalog;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The dense model of a {@code train} output folder as a verified TorchScript {@code model.pt} beside it, exported the
 * way every pruned cell is (compaction with the mask that keeps every channel, then {@link TorchScriptExport}), so that
 * dense and pruned latencies time the same kind of file through the same LibTorch path.
 */
final class DenseTorchScript {

    /** The report {@code djl-prune train} writes. */
    static final String TRAIN_REPORT_FILE = "train-report.json";

    private static final Gson GSON = new Gson();

    private DenseTorchScript() {}

    /**
     * Reads a {@code train} output folder's report.
     *
     * @param denseDir the folder
     * @return its report
     * @throws IOException if the report is missing or not a train report
     */
    static TrainReport readTrainReport(Path denseDir) throws IOException {
        Path file = denseDir.resolve(TRAIN_REPORT_FILE);
        try {
            TrainReport report = GSON.fromJson(Files.readString(file, StandardCharsets.UTF_8), TrainReport.class);
            if (report == null || report.model() == null || report.inputShape() == null) {
                throw new IOException(file + " is not a train report: it names no model or input shape");
            }
            return report;
        } catch (JsonParseException e) {
            throw new IOException(file + " is not a train report: " + e.getMessage(), e);
        }
    }

    /**
     * Exports the folder's dense model to {@code denseDir/model.pt} unless that file is already there, and returns the
     * export report (read back from the archive when it was exported before).
     *
     * @param denseDir the {@code train} output folder
     * @param device where to load the model
     * @return the report: parameters, FLOPs and test accuracy of the dense model
     * @throws IOException if the weights or the archive cannot be read or written
     * @throws MalformedModelException if the weights do not fit the model or LibTorch refuses the archive
     */
    static ExportReport exportOnce(Path denseDir, Device device) throws IOException, MalformedModelException {
        Path file = denseDir.resolve(PruneCommand.MODEL_FILE);
        TrainReport train = readTrainReport(denseDir);
        if (!Files.isRegularFile(file)) {
            export(train, denseDir, file, device);
        }
        try (LoadedTorchScript loaded = LoadedTorchScript.load(file, device, TorchScriptExport.REPORT_ENTRY)) {
            String json =
                    loaded.extraFile(TorchScriptExport.REPORT_ENTRY)
                            .orElseThrow(() -> new IOException(file + " has no " + TorchScriptExport.REPORT_ENTRY
                                    + "; delete it to have the sweep export the dense model again"));
            return GSON.fromJson(json, ExportReport.class);
        }
    }

    private static void export(TrainReport train, Path denseDir, Path file, Device device)
            throws IOException, MalformedModelException {
        Shape input = new Shape(1).addAll(new Shape(train.inputShape()));
        try (NDManager manager = NDManager.newBaseManager(device, Engines.PYTORCH);
                Model dense = Model.newInstance(train.model(), device, Engines.PYTORCH)) {
            dense.setBlock(ModelCatalog.build(train.model(), train.classes()));
            dense.getBlock().initialize(dense.getNDManager(), DataType.FLOAT32, input);
            dense.load(denseDir, train.model());
            ChannelGraph graph =
                    ChannelGraph.builder()
                            .setInputShape(input)
                            .setClassifier(CompactModels.CLASSIFIER)
                            .build(dense.getBlock());
            ChannelMask everyChannel = ChannelMask.full(graph);
            CompactionResult compact =
                    Compactor.builder()
                            .setClassifier(CompactModels.CLASSIFIER)
                            .build()
                            .compact(manager, dense.getBlock(), graph, everyChannel);
            Budget everything = new Budget(BudgetKind.FLOPS, 1.0);
            MaskPlan plan =
                    MaskPlan.of(train.model(), SweepRow.DENSE, new CostModel(graph), everything, everyChannel)
                            .withTraining(train.epochs(), train.validationAccuracy(), null, null);
            new TorchScriptExport(file, CompactModels.CLASSIFIER, 1e-5)
                    .withTestAccuracy(train.testAccuracy())
                    .export(compact, plan, input);
        }
    }
}
