package io.djlprune.cli;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.TrainingDivergedException;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.EasyTrain;
import ai.djl.training.Trainer;
import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import io.djlprune.checkpoint.PhaseCheckpoint;
import io.djlprune.checkpoint.TrainingCheckpoint;
import io.djlprune.chipnet.BudgetCount;
import io.djlprune.chipnet.ChipNetLoss;
import io.djlprune.chipnet.ChipNetPreset;
import io.djlprune.chipnet.ChipNetRecipe;
import io.djlprune.chipnet.GatedNetwork;
import io.djlprune.chipnet.Pruner;
import io.djlprune.chipnet.PruningEpoch;
import io.djlprune.compact.CompactionResult;
import io.djlprune.compact.Compactor;
import io.djlprune.cost.Budget;
import io.djlprune.cost.BudgetKind;
import io.djlprune.cost.CostModel;
import io.djlprune.criteria.L1FilterNorm;
import io.djlprune.data.DataSplits;
import io.djlprune.engine.DeviceChoice;
import io.djlprune.engine.Engines;
import io.djlprune.export.ExportReport;
import io.djlprune.export.TorchScriptExport;
import io.djlprune.gate.GateSchedule;
import io.djlprune.gate.PsiWarmStart;
import io.djlprune.graph.ChannelGraph;
import io.djlprune.graph.ChannelGroup;
import io.djlprune.graph.ChannelMask;
import io.djlprune.hoyer.GroupNormThreshold;
import io.djlprune.io.StagedDirectory;
import io.djlprune.mask.ChannelOrder;
import io.djlprune.mask.MaskPlan;
import io.djlprune.mask.MaskSelector;
import io.djlprune.training.EpochSummary;
import io.djlprune.training.Evaluation;
import io.djlprune.zoo.model.ModelCatalog;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
            names = "--recipe",
            description = "ChipNet's settings as a set: default (this library's, chosen by measurement: docs/CHIPNET.md)"
                    + " or reference (the published code: --budget-on count --kept-scale one --order global --psi-lr"
                    + " = --lr --hard-finish 0 --batch-size 32 --beta-step 0.02 --beta-cap 6 --psi-init uniform);"
                    + " options given explicitly override the set (default: ${DEFAULT-VALUE}).")
    String recipe = "default";

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

    @Option(
            names = "--anneal",
            description = "epoch: γ ×√2 per epoch as the reference (crisp after ~15 epochs); step: γ rises per step to"
                    + " 256 by the end of the run, so short runs end with crisp gates (default: ${DEFAULT-VALUE}).")
    String anneal = "epoch";

    @Option(names = "--lr", description = "AdamW learning rate of weights and ψ while pruning (default: ${DEFAULT-VALUE}).")
    float learningRate = 1e-3f;

    @Option(
            names = "--beta-step",
            description = "ChipNet: β rises by this much per epoch (default: ${DEFAULT-VALUE}; the reference: 0.02); β is the"
                    + " logistic's slope, and only a large β makes the gates of one layer split into open and closed"
                    + " when their ψ move in lock-step (docs/CHIPNET.md).")
    double betaStep = ChipNetPreset.DEFAULT.betaStep();

    @Option(names = "--beta-cap", description = "ChipNet: the largest β (default: ${DEFAULT-VALUE}; the reference: 6).")
    double betaCap = ChipNetPreset.DEFAULT.betaCap();

    @Option(
            names = "--budget-on",
            description = "count: the budget counts s(z), the soft count of gates above ½ (the reference); gate: it"
                    + " counts the gate values z, pushing dropped channels to 0; root: it counts √z, so a part-open"
                    + " gate costs more than the signal it passes (default: ${DEFAULT-VALUE}).")
    String budgetOn = ChipNetPreset.DEFAULT.budgetCount().key();

    @Option(
            names = "--crisp-weight",
            description = "ChipNet: weight of the crispness term mean (z − z̃)² (default: ${DEFAULT-VALUE}, the reference's).")
    float crispWeight = 10f;

    @Option(
            names = "--kept-scale",
            description = "ChipNet: soft: the kept channels of the hard mask keep the soft gate value z they were trained"
                    + " with, folded into the weights before compaction, so the hard network is the soft one minus the"
                    + " removed channels; one: they pass at 1 (the reference) (default: ${DEFAULT-VALUE}).")
    String keptScale = ChipNetPreset.DEFAULT.keepSoftScale() ? "soft" : "one";

    @Option(
            names = "--hard-finish",
            description = "Share of ChipNet's pruning steps, at the end, that train the weights under the fixed hard mask"
                    + " (0: soft gates to the end, the reference) (default: ${DEFAULT-VALUE}).")
    double hardFinish = ChipNetPreset.DEFAULT.hardFinish();

    @Option(
            names = "--psi-lr",
            description = "AdamW learning rate of the gates ψ: a number, or auto: --lr × 28125 / pruning steps, at least"
                    + " --lr, so ψ travels as far as in the reference's 20 CIFAR-10 epochs; give --lr's value for the"
                    + " reference (default: ${DEFAULT-VALUE}).")
    String psiLearningRate = "auto";

    @Option(
            names = "--psi-init",
            description = "ChipNet's starting gates: uniform in [0, 0.01) (the reference), or l1: spread by the rank of"
                    + " each channel's L1 filter norm within its group, so short runs keep a meaningful channel order"
                    + " (default: ${DEFAULT-VALUE}).")
    String psiInit = ChipNetPreset.DEFAULT.psiFromL1() ? "l1" : "uniform";

    @Option(
            names = "--psi-spread",
            description = "ChipNet with --psi-init l1: the range of ψ within a group, lowest L1 norm at the bottom"
                    + " (default: ${DEFAULT-VALUE}; under lock-step a spread wider than the gate's transition keeps"
                    + " the group's gates apart, docs/CHIPNET.md).")
    float psiSpread = ChipNetPreset.DEFAULT.psiSpread();

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

    /** {@inheritDoc} */
    @Override
    public Integer call() throws Exception {
        long start = System.nanoTime();
        applyRecipe();
        ModelCatalog.Entry entry = checkArguments();
        PruningMethod pruningMethod = parseMethod();
        Budget target = parseBudget();
        ChannelOrder channelOrder = parseOrder();
        DeviceChoice deviceChoice = device.choice(spec);
        MaskPlan transferPlan = transferFrom == null ? null : MaskPlan.load(transferFrom);
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
                ChannelGraph graph =
                        ChannelGraph.builder()
                                .setInputShape(splits.batchShape(1))
                                .setClassifier(CompactModels.CLASSIFIER)
                                .build(dense.getBlock());
                logger.info(
                        "{}: {} prunable channel groups, {} prunable channels; budget {}",
                        entry.name(),
                        graph.prunableGroups().size(),
                        graph.prunableChannels(),
                        target);
                MaskSelector selector = MaskSelector.builder().optOrder(channelOrder).optRoundTo(roundTo).build();
                Run run = new Run(entry, dense, graph, splits, target, selector, runDevice, manager, out, checkpoints, start);
                Result result;
                if (transferPlan != null) {
                    result = transfer(run, transferPlan);
                } else if (pruningMethod == PruningMethod.CHIPNET) {
                    result = chipnet(run);
                } else {
                    result = scored(run, pruningMethod);
                }
                dense.save(out.path(), entry.name());
                PruneReport report = compactFineTuneExport(run, result);
                write(out, new Result(result.plan(), report));
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

    /** Compacts the pruned network, fine-tunes the compact one, and writes it as a verified TorchScript file. */
    private PruneReport compactFineTuneExport(Run run, Result result) throws Exception {
        CompactionResult compact =
                Compactor.builder()
                        .setClassifier(CompactModels.CLASSIFIER)
                        .build()
                        .compact(run.manager(), run.dense().getBlock(), run.graph(), result.plan().toMask(run.graph()));
        logger.info("Compacted:\n{}", compact.describe());
        List<EpochSummary> fineTuned =
                CompactModels.fineTune(
                        compact.block(), run.splits(), finetuneEpochs, data.batchSize, finetuneLr, run.device(),
                        run.checkpoints().phase(RunCheckpoints.FINETUNE, spec, data.seed));
        double test = Evaluation.accuracy(compact.block(), run.splits().test(), run.manager());
        TorchScriptExport export =
                new TorchScriptExport(run.out().path().resolve(MODEL_FILE), CompactModels.CLASSIFIER, 1e-5)
                        .withTestAccuracy(test);
        export.export(compact, result.plan(), run.graph().getInputShape());
        ExportReport exported = export.getLastReport();
        return result.report()
                .withExport(fineTuned, test, exported.parameters(), exported.flops(), (System.nanoTime() - run.start()) / 1e9);
    }

    private Result chipnet(Run run) throws Exception {
        GatedNetwork network = GatedNetwork.of(run.dense().getBlock(), run.graph());
        ChipNetLoss loss =
                ChipNetLoss.builder().setNetwork(network).setBudget(run.target()).optBudgetCount(BudgetCount.parse(budgetOn))
                        .optCrispnessWeight(crispWeight)
                        .build();
        Path planFile = run.out().path().resolve(PLAN_FILE);
        int stepsPerEpoch = Math.toIntExact((run.splits().train().size() + data.batchSize - 1) / data.batchSize);
        GateSchedule.Builder scheduleBuilder = GateSchedule.builder().optBetaStep(betaStep).optBetaCap(betaCap);
        if (anneal.equals("step")) {
            scheduleBuilder.optGammaStepAnnealing((long) stepsPerEpoch * epochs);
        }
        GateSchedule schedule = scheduleBuilder.build();
        Pruner pruner =
                Pruner.builder()
                        .setNetwork(network, loss)
                        .optSchedule(schedule)
                        .setValidation(run.splits().validation())
                        .setEpochs(epochs)
                        .optSelector(run.selector())
                        .optModelName(run.entry().name())
                        .optPlanFile(planFile)
                        .optStepsPerEpoch(stepsPerEpoch)
                        .optKeepSoftScale(keptScale.equals("soft"))
                        .optHardFinish(hardFinish)
                        .build();
        try (Model gated = Model.newInstance(run.entry().name() + "-gated", run.device(), Engines.PYTORCH)) {
            gated.setBlock(network.getBlock());
            ChipNetRecipe recipe =
                    new ChipNetRecipe()
                            .optLearningRate(learningRate)
                            .optWeightDecay(weightDecayOf(PruningMethod.CHIPNET))
                            .optPsiLearningRateForSteps((long) stepsPerEpoch * epochs);
            if (!psiLearningRate.equals("auto")) {
                recipe.optPsiLearningRate(Float.parseFloat(psiLearningRate));
            }
            logger.info("ChipNet: lr {} for weights, {} for ψ", learningRate, recipe.getPsiLearningRate());
            DefaultTrainingConfig config = recipe.trainingConfig(network, loss, pruner, epochs, run.device());
            PhaseCheckpoint phase = run.checkpoints().phase(RunCheckpoints.PRUNING, spec, data.seed);
            TrainingCheckpoint checkpoint = phase.attach(config, pruner, recipe.getEpochSummaries());
            try (Trainer trainer = gated.newTrainer(config)) {
                trainer.initialize(run.splits().batchShape(data.batchSize));
                if (psiInit.equals("l1")) {
                    network.setPsi(PsiWarmStart.fromScores(new L1FilterNorm().score(run.graph()), psiSpread));
                }
                int done = phase.restore(checkpoint, trainer, "pruning"); // a resumed run's ψ replaces the warm start
                EasyTrain.fit(trainer, epochs - done, run.splits().train(), run.splits().validation());
            } catch (TrainingDivergedException | IllegalStateException e) {
                // keep what was learned before the divergence: the best plan is already in the staging folder
                if (pruner.getBestPlan() == null) {
                    throw e;
                }
                write(run.out(), report("diverged", run, run.target(), pruner.getBestPlan(), null, null, pruner.getHistory()));
                run.out().commit();
                run.checkpoints().delete();
                throw new IllegalStateException(
                        "Pruning stopped: " + e.getMessage() + ". The best plan so far (epoch " + pruner.getBestPlan().getEpoch()
                                + ") is in " + run.out().target().resolve(PLAN_FILE),
                        e);
            }
            // the trainer is closed: the Pruner restored the best epoch's weights and its hard mask
            double test = Evaluation.accuracy(network.getBlock(), run.splits().test(), run.manager());
            return report("completed", run, run.target(), pruner.getBestPlan(), test, null, pruner.getHistory());
        }
    }

    /** A method that scores channels, after a regularised training phase where it has one. */
    private Result scored(Run run, PruningMethod pruningMethod) throws Exception {
        if (pruningMethod.regularized()) {
            logger.info("{}: {} epochs of regularised training", pruningMethod.key(), epochs);
            OptimizerOptions adam = new OptimizerOptions();
            adam.learningRate = learningRate;
            adam.weightDecay = weightDecayOf(pruningMethod);
            logger.info("{}: {}", pruningMethod.key(), adam);
            DenseTraining.fit(
                    run.dense(), run.splits(), epochs, data.batchSize, adam, run.device(),
                    pruningMethod.trainingLoss(run.graph(), alpha, lambda),
                    run.checkpoints().phase(RunCheckpoints.REGULARIZED, spec, data.seed));
        }
        CostModel cost = new CostModel(run.graph());
        float[][] scores = pruningMethod.scorer(run.graph(), data.seed).score(run.graph());
        ChannelMask mask =
                threshold != null
                        ? new GroupNormThreshold(threshold).select(run.graph(), scores)
                        : run.selector().select(cost, run.target(), scores);
        if (threshold != null && cost.ratio(run.target().kind(), mask) > run.target().target()) {
            logger.warn(
                    "The group-norm threshold {} keeps {} of the {}, above the budget {}",
                    threshold, String.format("%.4f", cost.ratio(run.target().kind(), mask)), run.target().kind().key(), run.target());
        }
        GatedNetwork network = GatedNetwork.of(run.dense().getBlock(), run.graph());
        network.getBlock().initialize(run.manager(), ai.djl.ndarray.types.DataType.FLOAT32, run.splits().batchShape(1));
        network.applyHardMask(mask);
        double validation = Evaluation.accuracy(network.getBlock(), run.splits().validation(), run.manager());
        double test = Evaluation.accuracy(network.getBlock(), run.splits().test(), run.manager());
        MaskPlan plan =
                MaskPlan.of(run.entry().name(), pruningMethod.key(), cost, run.target(), mask)
                        .withTraining(pruningMethod.regularized() ? epochs : 0, validation, null, null);
        return report("completed", run, run.target(), plan, test, null, List.of());
    }

    private Result transfer(Run run, MaskPlan source) throws Exception {
        CostModel cost = new CostModel(run.graph());
        boolean hasPsi = source.hasPsi();
        ChannelMask mask = hasPsi ? source.transferPsi(cost, run.target(), run.selector()) : source.transferTo(run.graph());
        Budget recorded = hasPsi ? run.target() : source.getBudget();
        GatedNetwork network = GatedNetwork.of(run.dense().getBlock(), run.graph());
        network.getBlock().initialize(run.manager(), ai.djl.ndarray.types.DataType.FLOAT32, run.splits().batchShape(1));
        network.applyHardMask(mask);
        double validation = Evaluation.accuracy(network.getBlock(), run.splits().validation(), run.manager());
        double test = Evaluation.accuracy(network.getBlock(), run.splits().test(), run.manager());
        MaskPlan plan =
                MaskPlan.of(run.entry().name(), "transfer:" + source.getMethod(), cost, recorded, mask, hasPsi ? source.psi(run.graph()) : null)
                        .withTraining(0, validation, null, null);
        logger.info(
                "Transferred {} from {} ({}): {} = {}",
                hasPsi ? "gates ψ" : "the mask",
                transferFrom,
                source.getModel(),
                recorded.kind().key(),
                String.format("%.4f", plan.getAchievedRatio()));
        return report("completed", run, recorded, plan, test, transferFrom.toString(), List.of());
    }

    private Result report(
            String status,
            Run run,
            Budget target,
            MaskPlan plan,
            Double test,
            String transferred,
            List<PruningEpoch> history) {
        Map<String, Double> achieved = new LinkedHashMap<>();
        for (BudgetKind kind : BudgetKind.values()) {
            achieved.put(kind.key(), plan.getRatio(kind));
        }
        int[] sizes = run.graph().prunableGroups().stream().mapToInt(ChannelGroup::size).toArray();
        int[] keptAll = plan.keptCounts();
        int[] kept = run.graph().prunableGroups().stream().mapToInt(g -> keptAll[g.id()]).toArray();
        return new Result(
                plan,
                new PruneReport(
                        status, run.entry().name(), plan.getMethod(), target.toString(), achieved, sizes, kept,
                        plan.getEpoch(), plan.getValidationAccuracy(), test, transferred, history, List.of(), null,
                        null, null, (System.nanoTime() - run.start()) / 1e9));
    }

    private static void write(StagedDirectory out, Result result) throws IOException {
        result.plan().save(out.path().resolve(PLAN_FILE));
        Files.writeString(out.path().resolve(REPORT_FILE), GSON.toJson(result.report()), StandardCharsets.UTF_8);
    }

    /** A plan with the report that describes it. */
    private record Result(MaskPlan plan, PruneReport report) {}

    /** What every step of one pruning run works on. */
    private record Run(
            ModelCatalog.Entry entry,
            Model dense,
            ChannelGraph graph,
            DataSplits splits,
            Budget target,
            MaskSelector selector,
            Device device,
            NDManager manager,
            StagedDirectory out,
            RunCheckpoints checkpoints,
            long start) {}

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
        try {
            BudgetCount.parse(budgetOn);
        } catch (IllegalArgumentException e) {
            throw usage("--budget-on: " + e.getMessage());
        }
        if (!(crispWeight >= 0) || !Float.isFinite(crispWeight)) {
            throw usage("--crisp-weight must be a finite number ≥ 0, got " + crispWeight);
        }
        if (!keptScale.equals("one") && !keptScale.equals("soft")) {
            throw usage("Unknown --kept-scale '" + keptScale + "': use one or soft");
        }
        if (!(betaStep >= 0) || !Double.isFinite(betaStep) || !(betaCap >= 1) || !Double.isFinite(betaCap)) {
            throw usage("--beta-step must be ≥ 0 and --beta-cap ≥ 1, got " + betaStep + " and " + betaCap);
        }
        if (!(hardFinish >= 0 && hardFinish < 1)) {
            throw usage("--hard-finish is a share of the pruning steps in [0, 1), got " + hardFinish);
        }
        if (!(psiSpread > 0) || !Float.isFinite(psiSpread)) {
            throw usage("--psi-spread must be a positive number, got " + psiSpread);
        }
        if (!psiInit.equals("uniform") && !psiInit.equals("l1")) {
            throw usage("Unknown --psi-init '" + psiInit + "': use uniform or l1");
        }
        if (!anneal.equals("step") && !anneal.equals("epoch")) {
            throw usage("Unknown --anneal '" + anneal + "': use epoch or step");
        }
        if (!(learningRate > 0) || (weightDecay != null && !(weightDecay >= 0)) || !validPsiRate(psiLearningRate)) {
            throw usage("--lr and --psi-lr must be > 0 (or --psi-lr auto) and --weight-decay ≥ 0");
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

    private PruningMethod parseMethod() {
        try {
            PruningMethod parsed = PruningMethod.parse(method);
            if (threshold != null && parsed != PruningMethod.GROUP_HS && parsed != PruningMethod.HS) {
                throw usage("--threshold applies to group-hs and hs only");
            }
            return parsed;
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage());
        }
    }

    /**
     * Sets every ChipNet option the command line did not give to the chosen recipe's value (the fields' own defaults
     * are the default recipe's).
     */
    void applyRecipe() {
        ChipNetPreset preset;
        try {
            preset = ChipNetPreset.parse(recipe);
        } catch (IllegalArgumentException e) {
            throw usage("--recipe: " + e.getMessage());
        }
        CommandLine.ParseResult given = spec.commandLine().getParseResult();
        if (given == null || preset == ChipNetPreset.DEFAULT) {
            return;
        }
        if (!given.hasMatchedOption("--budget-on")) {
            budgetOn = preset.budgetCount().key();
        }
        if (!given.hasMatchedOption("--kept-scale")) {
            keptScale = preset.keepSoftScale() ? "soft" : "one";
        }
        if (!given.hasMatchedOption("--hard-finish")) {
            hardFinish = preset.hardFinish();
        }
        if (!given.hasMatchedOption("--order")) {
            order = preset.order().key();
        }
        if (!given.hasMatchedOption("--psi-lr")) {
            psiLearningRate = preset.psiRateForSteps() ? "auto" : Float.toString(learningRate);
        }
        if (!given.hasMatchedOption("--batch-size")) {
            data.batchSize = preset.batchSize();
        }
        if (!given.hasMatchedOption("--beta-step")) {
            betaStep = preset.betaStep();
        }
        if (!given.hasMatchedOption("--beta-cap")) {
            betaCap = preset.betaCap();
        }
        if (!given.hasMatchedOption("--psi-init")) {
            psiInit = preset.psiFromL1() ? "l1" : "uniform";
        }
        if (!given.hasMatchedOption("--psi-spread")) {
            psiSpread = preset.psiSpread();
        }
    }

    /**
     * The weight decay a method trains with: --weight-decay, else the method's reference value (ChipNet's pruning
     * phase 1e-3; DeepHoyer trains Group-HS with 1e-4, and the other regularised baselines get the same).
     */
    float weightDecayOf(PruningMethod pruningMethod) {
        if (weightDecay != null) {
            return weightDecay;
        }
        return pruningMethod == PruningMethod.CHIPNET ? 1e-3f : 1e-4f;
    }

    /** Whether a --psi-lr value is auto or a positive, finite rate. */
    private static boolean validPsiRate(String value) {
        if (value.equals("auto")) {
            return true;
        }
        try {
            float rate = Float.parseFloat(value);
            return rate > 0 && Float.isFinite(rate);
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private ChannelOrder parseOrder() {
        if (order.equals("auto")) {
            return parseMethod() == PruningMethod.CHIPNET ? ChannelOrder.SOFT_SHARE : ChannelOrder.GLOBAL_SCORE;
        }
        ChannelOrder parsed;
        try {
            parsed = ChannelOrder.parse(order);
        } catch (IllegalArgumentException e) {
            throw usage("--order: " + e.getMessage());
        }
        if (parsed == ChannelOrder.SOFT_SHARE && parseMethod() != PruningMethod.CHIPNET) {
            throw usage("--order share allocates channels by ChipNet's soft gates; method " + method
                    + " has none: use global, cost or volume");
        }
        return parsed;
    }


    private CommandLine.ParameterException usage(String message) {
        return new CommandLine.ParameterException(spec.commandLine(), message);
    }
}
