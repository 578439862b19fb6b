package io.djlprune.cli;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import io.djlprune.cost.Budget;
import io.djlprune.cost.LatencyTable;
import io.djlprune.engine.DeviceChoice;
import io.djlprune.export.ExportReport;
import io.djlprune.graph.ChannelGraph;
import io.djlprune.io.StagedDirectory;
import io.djlprune.mask.ChannelOrder;
import io.djlprune.mask.MaskPlan;
import io.djlprune.mask.MaskPlanJson;
import io.djlprune.method.MethodResult;
import io.djlprune.method.PruningMethod;
import io.djlprune.method.PruningRecipe;
import io.djlprune.method.PruningStoppedException;
import io.djlprune.pipeline.FineTuning;
import io.djlprune.pipeline.PruningJob;
import io.djlprune.pipeline.PruningResult;
import io.djlprune.zoo.model.ModelCatalog;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One complete prune run of a catalog model into an output folder, as {@code prune} runs it and as each sweep cell
 * runs it in the sweep's process: the run's set-up ({@link RunSetup}), the dense weights (loaded or pretrained), the
 * library's {@link PruningJob} (mask, compaction, fine-tuning, a verified export in each chosen format), the dense
 * weights the
 * mask was chosen on (for {@code finetune} and {@code export} to compact again), {@code plan.json} and
 * {@code prune-report.json}. The folder appears only when the run completes, or, if pruning diverged, with the best
 * plan found before the divergence.
 *
 * @param entry the catalog model
 * @param budget the budget
 * @param method the pruning method
 * @param order the order the hard mask gives up channels, or null for the method's own
 * @param recipe the method's training recipe
 * @param roundTo keep multiples of this many channels (1: no rounding)
 * @param fineTuning the fine-tuning of the compacted model
 * @param transferredFrom the plan the mask is transferred from, for the report, or null
 * @param exports the formats the compacted model is exported in ({@code model.pt}, {@code model.onnx}), at least one
 * @param latency how a latency budget gets its table and measures the result, or null when none can be given
 */
record PruneRun(
        ModelCatalog.Entry entry,
        Budget budget,
        PruningMethod method,
        ChannelOrder order,
        PruningRecipe recipe,
        int roundTo,
        FineTuning fineTuning,
        String transferredFrom,
        List<ExportFormat> exports,
        LatencyBudget latency) {

    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().serializeSpecialFloatingPointValues().create();

    /**
     * Runs it.
     *
     * @param target the output folder
     * @param overwrite whether an existing, non-empty output folder may be replaced
     * @param checkpoints the run's checkpoints
     * @param device the device choice
     * @param data the data options
     * @param batchSize the batch size of every training phase
     * @param pretrained the output folder of {@code train} to start from, or null
     * @param weights a PyTorch state_dict of a torchvision architecture to start from, or null
     * @param pretrainEpochs dense epochs when nothing is loaded
     * @return the report written into the folder
     * @throws Exception if the run fails (its folder is then not created; a diverged run keeps its best plan)
     */
    PruneReport run(
            Path target,
            boolean overwrite,
            RunCheckpoints checkpoints,
            DeviceChoice device,
            DataOptions data,
            int batchSize,
            Path pretrained,
            Path weights,
            int pretrainEpochs)
            throws Exception {
        long start = System.nanoTime();
        try (RunSetup run = RunSetup.open(target, overwrite, device, data, batchSize, entry.name())) {
            if (weights != null) {
                run.withImportedBlock(entry, weights);
            } else {
                run.withCatalogBlock(entry).loadOrPretrain(pretrained, pretrainEpochs, batchSize, checkpoints);
            }
            StagedDirectory out = run.out();
            List<ExportFormat.Exporter> exporters = new ArrayList<>();
            for (ExportFormat format : exports) {
                exporters.add(format.exporter(format.modelFile(out.path()), run.splits().classNames()));
            }
            LatencyTable latencyTable = latency == null ? null : latency.tableFor(budget, run, roundTo);
            PruningJob.Builder builder =
                    PruningJob.builder()
                            .setModel(run.model())
                            .setData(run.splits(), batchSize)
                            .setMethod(method)
                            .setBudget(budget)
                            .optRecipe(recipe)
                            .optRoundTo(roundTo)
                            .optFineTuning(fineTuning)
                            .optSeed(data.seed)
                            .optClassifier(CompactModels.CLASSIFIER)
                            .optPlanFile(out.path().resolve(PruneCommand.PLAN_FILE))
                            .optCheckpoints(checkpoints.phases(data.seed));
            for (ExportFormat.Exporter exporter : exporters) {
                builder.addExporter(exporter.exporter());
            }
            if (order != null) {
                builder.optOrder(order);
            }
            if (latencyTable != null) {
                builder.optLatencyTable(latencyTable);
            }
            PruningJob job = builder.build();
            ChannelGraph graph = job.channelGraph();
            MethodResult found;
            try {
                found = job.findMask(run.manager());
            } catch (PruningStoppedException e) {
                // keep what was learned before the divergence
                PruneReport stopped =
                        PruneReport.of("diverged", e.getBestPlan(), graph, null, transferredFrom, e.getHistory(), start)
                                .withData(data.describe(), run.splits(), weights,
                                        TrainReport.testSet(run.splits(), data));
                write(out, e.getBestPlan(), stopped);
                out.commit();
                checkpoints.delete();
                throw new IllegalStateException(e.getMessage() + " in " + out.target().resolve(PruneCommand.PLAN_FILE), e);
            }
            run.model().save(out.path(), entry.name());
            PruningResult result = job.finish(found, run.manager());
            // every format exports the same compacted network, so any report has its size
            ExportReport exported = exporters.get(0).lastReport().get();
            PruneReport report =
                    PruneReport.of("completed", result.plan(), graph, absentIfNaN(result.maskedTestAccuracy()),
                                    transferredFrom, result.history(), start)
                            .withData(data.describe(), run.splits(), weights,
                                    TrainReport.testSet(run.splits(), data))
                            .withExport(result.fineTuning(), absentIfNaN(result.testAccuracy()), exported.parameters(),
                                    exported.flops(), (System.nanoTime() - start) / 1e9);
            if (latencyTable != null && exports.contains(ExportFormat.TORCHSCRIPT)) {
                report = report.withLatency(latency.check(budget, result.plan(), run,
                        ExportFormat.TORCHSCRIPT.modelFile(out.path())));
            }
            write(out, result.plan(), report);
            out.commit();
            checkpoints.delete();
            return report;
        }
    }

    /** The library reports NaN for a test accuracy of data without a test set; the report leaves it out. */
    private static Double absentIfNaN(double accuracy) {
        return Double.isNaN(accuracy) ? null : accuracy;
    }

    private static void write(StagedDirectory out, MaskPlan plan, PruneReport report) throws IOException {
        MaskPlanJson.save(plan, out.path().resolve(PruneCommand.PLAN_FILE));
        Files.writeString(out.path().resolve(PruneCommand.REPORT_FILE), GSON.toJson(report), StandardCharsets.UTF_8);
    }
}
