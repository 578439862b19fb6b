package io.djlprune.cli;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.translate.TranslateException;
import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import io.djlprune.compact.CompactionResult;
import io.djlprune.compact.Compactor;
import io.djlprune.cost.Budget;
import io.djlprune.cost.BudgetKind;
import io.djlprune.cost.CostModel;
import io.djlprune.data.DataSplits;
import io.djlprune.engine.DeviceChoice;
import io.djlprune.engine.Engines;
import io.djlprune.export.TorchScriptExport;
import io.djlprune.graph.ChannelGraph;
import io.djlprune.graph.ChannelMask;
import io.djlprune.hoyer.HeldZeros;
import io.djlprune.hoyer.HoyerRegularizedLoss;
import io.djlprune.hoyer.HoyerVariant;
import io.djlprune.hoyer.MagnitudeThreshold;
import io.djlprune.hoyer.SparsityReport;
import io.djlprune.hoyer.WeightMasks;
import io.djlprune.hoyer.WeightPruner;
import io.djlprune.io.StagedDirectory;
import io.djlprune.mask.MaskPlan;
import io.djlprune.training.EpochSummary;
import io.djlprune.training.Evaluation;
import io.djlprune.zoo.model.ModelCatalog;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code djl-prune sparsify}: element-wise DeepHoyer (ALGORITHMS.md §2) — train with α·Hoyer-Square (or α·Group-HS),
 * zero every conv/linear weight below a threshold, fine-tune with those zeros held at zero and no regulariser, and
 * report the non-zero weights per layer. The network keeps its shape (the zeros are scattered), so the exported
 * {@code .pt} has the dense layout; {@code prune --method group-hs} is the structured flow that removes channels.
 */
@Command(
        name = "sparsify",
        mixinStandardHelpOptions = true,
        description =
                "Element-wise DeepHoyer: train with a Hoyer-Square regulariser, zero small weights, fine-tune with the"
                        + " zeros held, report non-zero weights; writes the sparse model, a report and a verified .pt.")
final class SparsifyCommand implements Callable<Integer> {

    static final String REPORT_FILE = "sparsify-report.json";

    /** Where the model trained with the regulariser is saved before the cut, so other cuts can start from it. */
    static final String REGULARIZED_FOLDER = "regularized";

    /** The reference's absolute threshold on MNIST. */
    private static final float DEFAULT_THRESHOLD = 1e-3f;

    private static final Logger logger = LoggerFactory.getLogger(SparsifyCommand.class);
    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().serializeSpecialFloatingPointValues().create();

    @CommandLine.Spec private CommandLine.Model.CommandSpec spec;

    @Option(names = "--model", required = true, description = "A catalog model (README lists them), e.g. lenet5.")
    String model;

    @Option(
            names = "--regularizer",
            description = "hs (element-wise Hoyer-Square) or group-hs (filters + channels) (default: ${DEFAULT-VALUE}).")
    String regularizer = "hs";

    @Option(names = "--alpha", description = "Regulariser weight α (default: ${DEFAULT-VALUE}, the reference).")
    float alpha = HoyerRegularizedLoss.DEFAULT_ALPHA;

    @Option(
            names = "--epochs",
            description = "Epochs of training with α·R (default: ${DEFAULT-VALUE}); 0 cuts the --pretrained model as it"
                    + " is, e.g. the " + REGULARIZED_FOLDER + "/ folder of an earlier run, to try another cut.")
    int epochs = 10;

    @Option(
            names = "--lr",
            description = "Adam learning rate of the regularised training, cosine to 0 (default: ${DEFAULT-VALUE}).")
    float learningRate = 1e-3f;

    @Option(
            names = "--weight-decay",
            description = "L2 weight decay of the regularised training (default: ${DEFAULT-VALUE}, the reference).")
    float weightDecay = 1e-4f;

    @Option(
            names = "--threshold",
            description = "Zero weights with |w| below this (default: 0.001, the reference's MNIST value).")
    Float threshold;

    @Option(
            names = "--threshold-std",
            paramLabel = "K",
            description = "Zero weights with |w| below K times their tensor's standard deviation, instead of --threshold.")
    Float thresholdStd;

    @Option(
            names = "--keep-weights",
            paramLabel = "N",
            description = "Keep at most N conv/linear weights: one global magnitude cut chosen after the regularised"
                    + " training, instead of --threshold.")
    Long keepWeights;

    @Option(
            names = "--keep-weights-by",
            paramLabel = "RANK",
            description = "How --keep-weights ranks weights: magnitude (|w|, one global cut) or std (|w| over the std of"
                    + " its tensor, so each layer is cut relative to its own scale; the reference's per-layer rule) (default:"
                    + " ${DEFAULT-VALUE}, which kept far more accuracy after Group-HS on LeNet-5).")
    String keepWeightsBy = "magnitude";

    @Option(names = "--pretrained", paramLabel = "DIR", description = "Output folder of 'djl-prune train' to start from.")
    Path pretrained;

    @Option(
            names = "--pretrain-epochs",
            description = "Dense epochs first when no --pretrained is given (default: ${DEFAULT-VALUE}).")
    int pretrainEpochs = 3;

    @Option(
            names = "--finetune-epochs",
            description = "Epochs of fine-tuning with the zeros held (default: ${DEFAULT-VALUE}).")
    int finetuneEpochs = 5;

    @Option(
            names = "--finetune-lr",
            description = "SGD learning rate of fine-tuning (momentum 0.9, cosine) (default: ${DEFAULT-VALUE}).")
    float finetuneLr = 0.01f;

    @Option(names = "--output", paramLabel = "DIR", description = "Output folder (default: runs/<model>-<regularizer>).")
    Path output;

    @Option(names = "--overwrite", description = "Replace the files of an existing, non-empty output folder.")
    boolean overwrite;

    @Mixin ResumeOption resume;

    @Mixin DeviceOption device;

    private RunCheckpoints checkpoints;

    @Mixin DataOptions data;

    /** {@inheritDoc} */
    @Override
    public Integer call() throws Exception {
        long start = System.nanoTime();
        ModelCatalog.Entry entry = checkArguments();
        HoyerVariant variant = regularizer.equals("hs") ? HoyerVariant.ELEMENTWISE : HoyerVariant.GROUP;
        DeviceChoice deviceChoice = device.choice(spec);
        Path target = output != null ? output : Path.of("runs", entry.name() + "-" + regularizer);
        checkpoints = RunCheckpoints.of(spec, target, resume.resume, overwrite);
        try (StagedDirectory out = StagedDirectory.create(target, overwrite)) {
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
                // --epochs 0: the pretrained model already carries the regularised training
                List<EpochSummary> regularized =
                        epochs > 0 ? trainRegularized(dense, splits, graph, variant, runDevice, out.path()) : List.of();
                double before = Evaluation.accuracy(dense.getBlock(), splits.validation(), manager);
                WeightPruner pruner = new WeightPruner(graph);
                MagnitudeThreshold small = threshold(pruner);
                try (WeightMasks masks = pruner.prune(small, manager)) {
                    SparsityReport pruned = masks.getReport();
                    double after = Evaluation.accuracy(dense.getBlock(), splits.validation(), manager);
                    logger.info(
                            "Zeroed weights with {}: {} of {} non-zero; validation accuracy {} → {}",
                            small, pruned.totalNonzero(), pruned.totalWeights(),
                            String.format("%.4f", before), String.format("%.4f", after));
                    // a new optimiser (inside fineTune) has no momentum for the zeroed weights, as HeldZeros needs
                    List<EpochSummary> fineTuned =
                            CompactModels.fineTune(
                                    dense.getBlock(), splits, finetuneEpochs, data.batchSize, finetuneLr, runDevice,
                                    checkpoints.phase(RunCheckpoints.FINETUNE, spec, data.seed), new HeldZeros(masks));
                    SparsityReport sparse = SparsityReport.of(graph);
                    double test = Evaluation.accuracy(dense.getBlock(), splits.test(), manager);
                    dense.save(out.path(), entry.name());
                    export(out, dense, graph, manager, test);
                    SparsifyReport report =
                            new SparsifyReport(
                                    entry.name(), regularizer, alpha, small.toString(), regularized, before, after,
                                    pruned.totalNonzero(), fineTuned, test, sparse.totalWeights(), sparse.totalNonzero(),
                                    sparse.layers(), (System.nanoTime() - start) / 1e9);
                    Files.writeString(out.path().resolve(REPORT_FILE), GSON.toJson(report), StandardCharsets.UTF_8);
                    out.commit();
                    checkpoints.delete();
                    logger.info(
                            "{} after {} and fine-tuning with the zeros held:\n{}\ntest accuracy {}; sparse model, {}"
                                    + " and a verified {} in {}",
                            entry.name(), regularizer, sparse, String.format("%.4f", test), REPORT_FILE,
                            PruneCommand.MODEL_FILE, out.target());
                }
            }
        }
        return 0;
    }

    /** Trains with α·R, then saves the model before any cut in {@link #REGULARIZED_FOLDER}, for other cuts to start from. */
    private List<EpochSummary> trainRegularized(
            Model dense, DataSplits splits, ChannelGraph graph, HoyerVariant variant, Device device, Path out)
            throws IOException, TranslateException {
        logger.info("{}: {} epochs with α = {} · {}", dense.getName(), epochs, alpha, regularizer);
        OptimizerOptions adam = new OptimizerOptions();
        adam.learningRate = learningRate;
        adam.weightDecay = weightDecay;
        HoyerRegularizedLoss loss =
                HoyerRegularizedLoss.builder().setGraph(graph).optVariant(variant).optAlpha(alpha).build();
        List<EpochSummary> trained =
                DenseTraining.fit(
                        dense, splits, epochs, data.batchSize, adam, device, loss,
                        checkpoints.phase(RunCheckpoints.REGULARIZED, spec, data.seed));
        dense.save(Files.createDirectories(out.resolve(REGULARIZED_FOLDER)), dense.getName());
        return trained;
    }

    /** The cut the user chose: a global count, a multiple of each tensor's std, or an absolute magnitude. */
    private MagnitudeThreshold threshold(WeightPruner pruner) {
        if (keepWeights != null) {
            MagnitudeThreshold cut =
                    keepWeightsBy.equals("std")
                            ? pruner.stdMultipleKeepingAtMost(keepWeights)
                            : MagnitudeThreshold.absolute(pruner.thresholdKeepingAtMost(keepWeights));
            logger.info("Keeping at most {} weights: zero {}", keepWeights, cut);
            return cut;
        }
        if (thresholdStd != null) {
            return MagnitudeThreshold.stdMultiple(thresholdStd);
        }
        return MagnitudeThreshold.absolute(threshold != null ? threshold : DEFAULT_THRESHOLD);
    }

    /** Exports the sparse network, all channels kept, as a TorchScript file verified against the DJL model. */
    private static void export(StagedDirectory out, Model dense, ChannelGraph graph, NDManager manager, double test)
            throws Exception {
        ChannelMask all = ChannelMask.full(graph);
        CompactionResult same =
                Compactor.builder().setClassifier(CompactModels.CLASSIFIER).build().compact(manager, dense.getBlock(), graph, all);
        MaskPlan plan = MaskPlan.of(dense.getName(), "sparsify", new CostModel(graph), new Budget(BudgetKind.PARAMETERS, 1.0), all);
        new TorchScriptExport(out.path().resolve(PruneCommand.MODEL_FILE), CompactModels.CLASSIFIER, 1e-5)
                .withTestAccuracy(test)
                .export(same, plan, graph.getInputShape());
    }

    private ModelCatalog.Entry checkArguments() {
        if (!regularizer.equals("hs") && !regularizer.equals("group-hs")) {
            throw usage("Unknown --regularizer '" + regularizer + "': use hs or group-hs");
        }
        if (!(alpha >= 0) || !Float.isFinite(alpha)) {
            throw usage("--alpha must be ≥ 0, got " + alpha);
        }
        if ((threshold != null ? 1 : 0) + (thresholdStd != null ? 1 : 0) + (keepWeights != null ? 1 : 0) > 1) {
            throw usage("Give one of --threshold, --threshold-std and --keep-weights, not several");
        }
        if (keepWeights != null && keepWeights < 1) {
            throw usage("--keep-weights must be ≥ 1, got " + keepWeights);
        }
        if (threshold != null && (!(threshold >= 0) || !Float.isFinite(threshold))) {
            throw usage("--threshold must be ≥ 0, got " + threshold);
        }
        if (thresholdStd != null && (!(thresholdStd >= 0) || !Float.isFinite(thresholdStd))) {
            throw usage("--threshold-std must be ≥ 0, got " + thresholdStd);
        }
        if (!keepWeightsBy.equals("magnitude") && !keepWeightsBy.equals("std")) {
            throw usage("Unknown --keep-weights-by '" + keepWeightsBy + "': use magnitude or std");
        }
        if (!keepWeightsBy.equals("magnitude") && keepWeights == null) {
            throw usage("--keep-weights-by ranks the weights --keep-weights keeps: give --keep-weights N too");
        }
        if (epochs < 0 || pretrainEpochs < 0 || finetuneEpochs < 0) {
            throw usage("--epochs, --pretrain-epochs and --finetune-epochs must be ≥ 0");
        }
        if (epochs == 0 && pretrained == null) {
            throw usage("--epochs 0 cuts a model trained with the regulariser: give it with --pretrained DIR (e.g. the "
                    + REGULARIZED_FOLDER + "/ folder of an earlier sparsify run)");
        }
        if (!(learningRate > 0) || !(finetuneLr > 0) || !(weightDecay >= 0)) {
            throw usage("--lr and --finetune-lr must be > 0 and --weight-decay ≥ 0");
        }
        if (data.batchSize < 1 || (data.limit != null && data.limit < 1)) {
            throw usage("--batch-size and --limit must be ≥ 1");
        }
        try {
            return ModelCatalog.get(model);
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage());
        }
    }

    private CommandLine.ParameterException usage(String message) {
        return new CommandLine.ParameterException(spec.commandLine(), message);
    }
}
