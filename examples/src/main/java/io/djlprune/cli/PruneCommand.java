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
import io.djlprune.method.MethodResult;
import io.djlprune.method.PlanTransfer;
import io.djlprune.method.PruningMethod;
import io.djlprune.method.PruningRecipe;
import io.djlprune.method.PruningStoppedException;
import io.djlprune.method.ScoringMethod;
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
            names = "--method",
            description = "chipnet, group-hs, hs, l1, slimming, group-lasso or random (default: ${DEFAULT-VALUE}).")
    String method = "chipnet";

    @Option(
            names = "--epochs",
            description = "Pruning epochs: ChipNet's, or the regularised training of group-hs, hs, slimming and"
                    + " group-lasso; l1 and random prune in one shot (default: ${DEFAULT-VALUE}).")
    int epochs = 20;

    @Option(names = "--alpha", description = "DeepHoyer regulariser weight α (default: ${DEFAULT-VALUE}).")
    float alpha = 1e-3f;

    @Option(
            names = "--lambda",
            description = "Weight λ of slimming's L1 on BN γ and of group lasso (default: ${DEFAULT-VALUE}).")
    float lambda = 1e-4f;

    @Option(
            names = "--threshold",
            description = "group-hs and hs: keep channels whose group norm is at least this, instead of meeting"
                    + " --budget exactly.")
    Float threshold;

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
            names = "--transfer-from",
            paramLabel = "PLAN",
            description = "Apply this plan's mask (same architecture, any dataset) instead of learning one; with its"
                    + " gate values ψ the mask is re-derived for --budget.")
    Path transferFrom;

    @Option(
            names = "--order",
            description = "Order in which the hard mask gives up channels: auto (share for ChipNet, global for the"
                    + " others), global (lowest score first), preferred (ChipNet: z > ½ kept first), share (ChipNet:"
                    + " each group keeps channels in proportion to its sum of soft gates), cost (lowest score per unit"
                    + " of budget saved), or volume (per activation volume saved: latency falls closer to FLOPs)"
                    + " (default: ${DEFAULT-VALUE}).")
    String order = "auto";

    @Option(
            names = "--round-to",
            paramLabel = "N",
            description = "Keep a multiple of N channels in every group wider than N (the budget still holds): CPU"
                    + " kernels work in blocks of the vector width, so use 16 with AVX-512, 8 with AVX2 (default:"
                    + " ${DEFAULT-VALUE}, no rounding).")
    int roundTo = 1;

    @Option(names = "--lr", description = "AdamW learning rate of weights and ψ while pruning (default: ${DEFAULT-VALUE}).")
    float learningRate = 1e-3f;

    @Option(
            names = "--weight-decay",
            description = "Weight decay of the weights while pruning (ChipNet) or during the regularised training"
                    + " (group-hs, hs, slimming, group-lasso); ψ gets none (default: each method's reference, 1e-3 for"
                    + " chipnet, 1e-4 for the others).")
    Float weightDecay;

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

    @Mixin ChipNetOptions chipnet;

    /** {@inheritDoc} */
    @Override
    public Integer call() throws Exception {
        long start = System.nanoTime();
        applyRecipe();
        ModelCatalog.Entry entry = checkArguments();
        Budget target = parseBudget();
        PruningMethod pruningMethod = pruningMethod();
        ChannelOrder channelOrder = parseOrder();
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
                                .optRecipe(pruningRecipe())
                                .optRoundTo(roundTo)
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
        return transferFrom == null ? null : transferFrom.toString();
    }

    private static void write(StagedDirectory out, MaskPlan plan, PruneReport report) throws IOException {
        plan.save(out.path().resolve(PLAN_FILE));
        Files.writeString(out.path().resolve(REPORT_FILE), GSON.toJson(report), StandardCharsets.UTF_8);
    }

    private ModelCatalog.Entry checkArguments() {
        if (epochs < 1) {
            throw usage("--epochs must be ≥ 1, got " + epochs);
        }
        if (!(alpha >= 0) || !Float.isFinite(alpha)) {
            throw usage("--alpha must be ≥ 0, got " + alpha);
        }
        if (!(lambda >= 0) || !Float.isFinite(lambda)) {
            throw usage("--lambda must be ≥ 0, got " + lambda);
        }
        if (threshold != null && (!(threshold >= 0) || !Float.isFinite(threshold))) {
            throw usage("--threshold must be ≥ 0, got " + threshold);
        }
        if (finetuneEpochs < 0 || !(finetuneLr > 0)) {
            throw usage("--finetune-epochs must be ≥ 0 and --finetune-lr > 0");
        }
        if (pretrainEpochs < 0) {
            throw usage("--pretrain-epochs must be ≥ 0, got " + pretrainEpochs);
        }
        if (roundTo < 1) {
            throw usage("--round-to must be ≥ 1 channel (1: no rounding), got " + roundTo);
        }
        if (data.batchSize < 1) {
            throw usage("--batch-size must be ≥ 1, got " + data.batchSize);
        }
        if (data.limit != null && data.limit < 1) {
            throw usage("--limit must be ≥ 1, got " + data.limit);
        }
        chipnet.check(spec);
        if (!(learningRate > 0) || (weightDecay != null && !(weightDecay >= 0))) {
            throw usage("--lr must be > 0 and --weight-decay ≥ 0");
        }
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
        parseMethod();
        parseBudget();
        parseOrder();
    }

    private Budget parseBudget() {
        try {
            return Budget.parse(budget);
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage());
        }
    }

    private MethodChoice parseMethod() {
        try {
            MethodChoice parsed = MethodChoice.parse(method);
            if (threshold != null && parsed != MethodChoice.GROUP_HS && parsed != MethodChoice.HS) {
                throw usage("--threshold applies to group-hs and hs only");
            }
            return parsed;
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage());
        }
    }

    /**
     * Maps the options onto the library's method: a transfer when --transfer-from is given, else ChipNet with its
     * recipe and overrides, else the scoring method.
     *
     * @return the method
     * @throws IOException if the transferred plan cannot be read
     */
    PruningMethod pruningMethod() throws IOException {
        if (transferFrom != null) {
            return new PlanTransfer(MaskPlan.load(transferFrom), transferFrom.toString());
        }
        MethodChoice choice = parseMethod();
        if (choice != MethodChoice.CHIPNET) {
            ScoringMethod scoring = choice.scoring(alpha, lambda);
            return threshold == null ? scoring : scoring.withThreshold(threshold);
        }
        return chipnet.method();
    }

    /**
     * The recipe of the method's training phase.
     *
     * @return epochs, learning rate and --weight-decay (null: each method's reference value)
     */
    PruningRecipe pruningRecipe() {
        return new PruningRecipe(epochs, learningRate, weightDecay);
    }

    /**
     * Sets every ChipNet option the command line did not give to the chosen recipe's value, and the recipe's order and
     * batch size unless given (the fields' own defaults are the default recipe's).
     */
    void applyRecipe() {
        CommandLine.ParseResult given = spec.commandLine().getParseResult();
        ChipNetPreset preset = chipnet.applyRecipe(spec, learningRate);
        if (given == null || preset == ChipNetPreset.DEFAULT) {
            return;
        }
        if (!given.hasMatchedOption("--order")) {
            order = preset.order().key();
        }
        if (!given.hasMatchedOption("--batch-size")) {
            data.batchSize = preset.batchSize();
        }
    }

    /** The --order given, or null for auto (the method's own order). */
    private ChannelOrder parseOrder() {
        if (order.equals("auto")) {
            return null;
        }
        ChannelOrder parsed;
        try {
            parsed = ChannelOrder.parse(order);
        } catch (IllegalArgumentException e) {
            throw usage("--order: " + e.getMessage());
        }
        if (parsed == ChannelOrder.SOFT_SHARE && parseMethod() != MethodChoice.CHIPNET) {
            throw usage("--order share allocates channels by ChipNet's soft gates; method " + method
                    + " has none: use global, cost or volume");
        }
        return parsed;
    }

    private CommandLine.ParameterException usage(String message) {
        return new CommandLine.ParameterException(spec.commandLine(), message);
    }
}
