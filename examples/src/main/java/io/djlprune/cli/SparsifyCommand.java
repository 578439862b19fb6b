package io.djlprune.cli;

import ai.djl.Model;
import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import io.djlprune.cli.OptionConverters.HoyerChoice;
import io.djlprune.engine.DeviceChoice;
import io.djlprune.export.TorchScriptExport;
import io.djlprune.hoyer.HoyerRegularizedLoss;
import io.djlprune.hoyer.HoyerVariant;
import io.djlprune.io.StagedDirectory;
import io.djlprune.pipeline.FineTuning;
import io.djlprune.pipeline.SparsifyJob;
import io.djlprune.pipeline.SparsifyResult;
import io.djlprune.training.OptimizerRecipe;
import io.djlprune.zoo.model.ModelCatalog;
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
 * {@code djl-prune sparsify}: element-wise DeepHoyer (ALGORITHMS.md §2) — train with α·Hoyer-Square (or α·Group-HS),
 * zero every conv/linear weight below a threshold, fine-tune with those zeros held at zero and no regulariser, and
 * report the non-zero weights per layer. The network keeps its shape (the zeros are scattered), so the exported
 * {@code .pt} has the dense layout; {@code prune --method group-hs} is the structured flow that removes channels. The
 * work is the library's {@link SparsifyJob}; this command maps its options onto it and writes the report.
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

    private static final Logger logger = LoggerFactory.getLogger(SparsifyCommand.class);
    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().serializeSpecialFloatingPointValues().create();

    @CommandLine.Spec private CommandLine.Model.CommandSpec spec;

    @Option(names = "--model", required = true, description = "A catalog model (README lists them), e.g. lenet5.")
    String model;

    @Option(
            names = "--regularizer",
            converter = OptionConverters.Regularizer.class,
            defaultValue = "hs",
            description = "hs (element-wise Hoyer-Square) or group-hs (filters + channels) (default: ${DEFAULT-VALUE}).")
    HoyerChoice regularizer;

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

    @Mixin WeightCutOptions cut;

    @Mixin DataOptions data;

    /** {@inheritDoc} */
    @Override
    public Integer call() throws Exception {
        long start = System.nanoTime();
        ModelCatalog.Entry entry = checkArguments();
        DeviceChoice deviceChoice = device.choice(spec);
        Path target = output != null ? output : Path.of("runs", entry.name() + "-" + regularizer);
        RunCheckpoints checkpoints = RunCheckpoints.of(spec, target, resume.resume, overwrite);
        try (RunSetup run = RunSetup.open(target, overwrite, deviceChoice, data, data.batchSize, entry.name())) {
            run.withCatalogBlock(entry).loadOrPretrain(pretrained, pretrainEpochs, data.batchSize, checkpoints);
            StagedDirectory out = run.out();
            Model dense = run.model();
            Path pt = out.path().resolve(PruneCommand.MODEL_FILE);
            // --epochs 0: the pretrained model already carries the regularised training, and nothing is saved
            SparsifyResult result =
                    SparsifyJob.builder()
                            .setModel(dense)
                            .setData(run.splits(), data.batchSize)
                            .optVariant(regularizer == HoyerChoice.HS ? HoyerVariant.ELEMENTWISE : HoyerVariant.GROUP)
                            .optAlpha(alpha)
                            .optEpochs(epochs)
                            .optOptimizer(OptimizerRecipe.builder().optLearningRate(learningRate).optWeightDecay(weightDecay).build())
                            .optCut(cut.cut())
                            .optFineTuning(new FineTuning(finetuneEpochs, finetuneLr))
                            .optClassifier(CompactModels.CLASSIFIER)
                            .optCheckpoints(checkpoints.phases(data.seed))
                            .optRegularizedFolder(out.path().resolve(REGULARIZED_FOLDER))
                            .addExporter(new TorchScriptExport(pt, CompactModels.CLASSIFIER, 1e-5))
                            .build()
                            .run(run.manager());
            dense.save(out.path(), entry.name());
            SparsifyReport report =
                    SparsifyReport.of(entry.name(), regularizer.toString(), alpha, result, (System.nanoTime() - start) / 1e9);
            Files.writeString(out.path().resolve(REPORT_FILE), GSON.toJson(report), StandardCharsets.UTF_8);
            out.commit();
            checkpoints.delete();
            logger.info(
                    "{} after {} and fine-tuning with the zeros held:\n{}\ntest accuracy {}; sparse model, {}"
                            + " and a verified {} in {}",
                    entry.name(), regularizer, result.sparsity(), String.format("%.4f", result.testAccuracy()),
                    REPORT_FILE, PruneCommand.MODEL_FILE, out.target());
        }
        return 0;
    }

    private ModelCatalog.Entry checkArguments() {
        if (!(alpha >= 0) || !Float.isFinite(alpha)) {
            throw usage("--alpha must be ≥ 0, got " + alpha);
        }
        cut.check(spec);
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
        data.check(spec);
        data.requireTest(spec);
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
