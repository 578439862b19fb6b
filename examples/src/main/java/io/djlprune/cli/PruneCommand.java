package io.djlprune.cli;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import io.djlprune.chipnet.ChipNetPreset;
import io.djlprune.cost.Budget;
import io.djlprune.data.DataSplits;
import io.djlprune.engine.DeviceChoice;
import io.djlprune.engine.Engines;
import io.djlprune.export.ExportReport;
import io.djlprune.export.TorchScriptExport;
import io.djlprune.graph.ChannelGraph;
import io.djlprune.io.StagedDirectory;
import io.djlprune.mask.ChannelOrder;
import io.djlprune.mask.MaskPlan;
import io.djlprune.mask.MaskPlanJson;
import io.djlprune.method.MethodResult;
import io.djlprune.method.PruningMethod;
import io.djlprune.method.PruningStoppedException;
import io.djlprune.pipeline.FineTuning;
import io.djlprune.pipeline.PruningJob;
import io.djlprune.pipeline.PruningResult;
import io.djlprune.zoo.model.ModelCatalog;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code djl-prune prune}: pretrains (or loads) a dense catalog model, prunes it with ChipNet to a budget, and writes
 * the mask plan, a report and the trained weights. With {@code --transfer-from} it applies a plan learned elsewhere.
 */
@Command(
        name = "prune",
        mixinStandardHelpOptions = true,
        description =
                "Prune a model (ChipNet, DeepHoyer or a baseline) to a budget, compact it, fine-tune it and export a verified TorchScript"
                        + " .pt, with the mask plan and a report.")
final class PruneCommand implements Callable<Integer> {

    static final String PLAN_FILE = "plan.json";
    static final String REPORT_FILE = "prune-report.json";
    static final String MODEL_FILE = "model.pt";

    private static final Logger logger = LoggerFactory.getLogger(PruneCommand.class);
    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().serializeSpecialFloatingPointValues().create();

    @CommandLine.Spec private CommandLine.Model.CommandSpec spec;

    @Option(names = "--model", required = true, description = "A catalog model (README lists them), e.g. lenet5 or resnet20.")
    String model;

    @Option(
            names = "--budget",
            required = true,
            paramLabel = "KIND=TARGET",
            description = "What to keep, e.g. flops=0.25; kinds: channels, volume, params, flops; target in (0, 1].")
    String budget;

    @Option(
            names = "--pretrained",
            paramLabel = "DIR",
            description = "Output folder of 'djl-prune train' to start from instead of pretraining here.")
    Path pretrained;

    @Option(
            names = "--pretrain-epochs",
            description = "Dense epochs before pruning when no --pretrained is given (default: ${DEFAULT-VALUE}).")
    int pretrainEpochs = 3;

    @Option(
            names = "--finetune-epochs",
            description = "Epochs of fine-tuning the compacted model before export (default: ${DEFAULT-VALUE}).")
    int finetuneEpochs = 2;

    @Option(
            names = "--finetune-lr",
            description = "Initial SGD learning rate of fine-tuning, cosine-decayed (default: ${DEFAULT-VALUE}).")
    float finetuneLr = 0.01f;

    @Option(names = "--output", paramLabel = "DIR", description = "Output folder (default: runs/<model>-<kind>-<target>).")
    Path output;

    @Option(names = "--overwrite", description = "Replace the files of an existing, non-empty output folder (and the checkpoint of an interrupted run into it).")
    boolean overwrite;

    @Mixin ResumeOption resume;

    @Mixin DeviceOption device;

    @Mixin DataOptions data;

    @Mixin PruningOptions pruning;

    /** {@inheritDoc} */
    @Override
    public Integer call() throws Exception {
        long start = System.nanoTime();
        applyRecipe();
        ModelCatalog.Entry entry = checkArguments();
        Budget target = parseBudget();
        PruningMethod pruningMethod = pruning.method(spec);
        ChannelOrder channelOrder = pruning.order(spec);
        DeviceChoice deviceChoice = device.choice(spec);
        Path targetDir =
                output != null
                        ? output
                        : Path.of("runs", entry.name() + "-" + target.kind().key() + "-" + target.target());
        RunCheckpoints checkpoints = RunCheckpoints.of(spec, targetDir, resume.resume, overwrite);
        try (StagedDirectory out = StagedDirectory.create(targetDir, overwrite)) {
            Engine engine = Engines.pytorch();
            Device runDevice = deviceChoice.resolve(engine.getDevices());
            engine.setRandomSeed((int) data.seed);
            try (NDManager manager = NDManager.newBaseManager(runDevice);
                    Model dense = Model.newInstance(entry.name(), runDevice, Engines.PYTORCH)) {
                DataSplits splits = data.load(manager);
                dense.setBlock(entry.factory().apply(splits.classes()));
                Path pretrainedDir = pretrained != null ? pretrained : checkpoints.pretrained();
                DenseTraining.loadOrPretrain(dense, splits, pretrainedDir, pretrainEpochs, data.batchSize, runDevice);
                if (pretrainedDir == null && pretrainEpochs > 0) {
                    checkpoints.savePretrained(dense);
                }
                TorchScriptExport export =
                        new TorchScriptExport(out.path().resolve(MODEL_FILE), CompactModels.CLASSIFIER, 1e-5);
                PruningJob.Builder job =
                        PruningJob.builder()
                                .setModel(dense)
                                .setData(splits, data.batchSize)
                                .setMethod(pruningMethod)
                                .setBudget(target)
                                .optRecipe(pruning.recipe())
                                .optRoundTo(pruning.roundTo)
                                .optFineTuning(new FineTuning(finetuneEpochs, finetuneLr))
                                .optSeed(data.seed)
                                .optClassifier(CompactModels.CLASSIFIER)
                                .optPlanFile(out.path().resolve(PLAN_FILE))
                                .optCheckpoints(checkpoints.phases(spec, data.seed))
                                .addExporter(export);
                if (channelOrder != null) {
                    job.optOrder(channelOrder);
                }
                PruningJob pruning = job.build();
                ChannelGraph graph = pruning.channelGraph();
                MethodResult found;
                try {
                    found = pruning.findMask(manager);
                } catch (PruningStoppedException e) {
                    // keep what was learned before the divergence
                    PruneReport stopped =
                            PruneReport.of("diverged", e.getBestPlan(), graph, null, transferred(), e.getHistory(), start);
                    write(out, e.getBestPlan(), stopped);
                    out.commit();
                    checkpoints.delete();
                    throw new IllegalStateException(
                            e.getMessage() + " in " + out.target().resolve(PLAN_FILE), e);
                }
                // the dense weights the mask was chosen on, for 'finetune' and 'export' to compact again
                dense.save(out.path(), entry.name());
                PruningResult result = pruning.finish(found, manager);
                ExportReport exported = export.getLastReport();
                PruneReport report =
                        PruneReport.of("completed", result.plan(), graph, result.maskedTestAccuracy(), transferred(),
                                        result.history(), start)
                                .withExport(result.fineTuning(), result.testAccuracy(), exported.parameters(),
                                        exported.flops(), (System.nanoTime() - start) / 1e9);
                write(out, result.plan(), report);
                out.commit();
                checkpoints.delete();
                logger.info(
                        "{} at {} = {}: hard-mask validation accuracy {}; compacted and fine-tuned: test accuracy {},"
                                + " {} parameters, {} FLOPs; verified TorchScript at {}",
                        entry.name(),
                        target,
                        String.format("%.4f", report.achieved().get(target.kind().key())),
                        String.format("%.4f", report.validationAccuracy()),
                        String.format("%.4f", report.finalTestAccuracy()),
                        report.parameters(),
                        report.flops(),
                        out.target().resolve(MODEL_FILE));
            }
        }
        return 0;
    }

    private String transferred() {
        return pruning.transferFrom == null ? null : pruning.transferFrom.toString();
    }

    private static void write(StagedDirectory out, MaskPlan plan, PruneReport report) throws IOException {
        MaskPlanJson.save(plan, out.path().resolve(PLAN_FILE));
        Files.writeString(out.path().resolve(REPORT_FILE), GSON.toJson(report), StandardCharsets.UTF_8);
    }

    private ModelCatalog.Entry checkArguments() {
        if (finetuneEpochs < 0 || !(finetuneLr > 0)) {
            throw usage("--finetune-epochs must be ≥ 0 and --finetune-lr > 0");
        }
        if (pretrainEpochs < 0) {
            throw usage("--pretrain-epochs must be ≥ 0, got " + pretrainEpochs);
        }
        if (data.batchSize < 1) {
            throw usage("--batch-size must be ≥ 1, got " + data.batchSize);
        }
        if (data.limit != null && data.limit < 1) {
            throw usage("--limit must be ≥ 1, got " + data.limit);
        }
        pruning.check(spec);
        try {
            return ModelCatalog.get(model);
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage());
        }
    }

    /**
     * Checks every option as a run would, before any work: the sweep checks its cells' options with this.
     *
     * @throws CommandLine.ParameterException naming the bad option
     */
    void checkOptions() {
        applyRecipe();
        checkArguments();
        parseBudget();
        pruning.order(spec);
    }

    private Budget parseBudget() {
        try {
            return Budget.parse(budget);
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage());
        }
    }

    /**
     * Sets every ChipNet option the command line did not give to the chosen recipe's value, and the recipe's order and
     * batch size unless given (the fields' own defaults are the default recipe's).
     */
    void applyRecipe() {
        CommandLine.ParseResult given = spec.commandLine().getParseResult();
        ChipNetPreset preset = pruning.chipnet.applyRecipe(spec, pruning.learningRate);
        if (given == null || preset == ChipNetPreset.DEFAULT) {
            return;
        }
        if (!given.hasMatchedOption("--order")) {
            pruning.order = preset.order().key();
        }
        if (!given.hasMatchedOption("--batch-size")) {
            data.batchSize = preset.batchSize();
        }
    }

    private CommandLine.ParameterException usage(String message) {
        return new CommandLine.ParameterException(spec.commandLine(), message);
    }
}
