package io.djlprune.cli;

import io.djlprune.cost.Budget;
import io.djlprune.zoo.model.ModelCatalog;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code djl-prune prune}: maps its options onto one {@link PruneRun}: a dense catalog model, pretrained here or
 * loaded, pruned by the chosen method to a budget, compacted, fine-tuned and exported as a verified TorchScript
 * {@code .pt}, with the mask plan and a report.
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

    /** Pruning epochs when --epochs is not given: the length of ChipNet's own protocol. */
    static final int DEFAULT_EPOCHS = 20;

    private static final Logger logger = LoggerFactory.getLogger(PruneCommand.class);

    @CommandLine.Spec private CommandLine.Model.CommandSpec spec;

    @Option(names = "--model", required = true, description = "A catalog model (README lists them), e.g. lenet5 or resnet20.")
    String model;

    @Option(
            names = "--budget",
            required = true,
            paramLabel = "KIND=TARGET",
            description = "What to keep, e.g. flops=0.25 or latency=0.5; kinds: channels, volume, params, flops,"
                    + " latency (measured on --latency-device, docs/LATENCY.md); target in (0, 1].")
    String budget;

    @Option(
            names = "--pretrained",
            paramLabel = "DIR",
            description = "Output folder of 'djl-prune train' to start from instead of pretraining here (or --weights"
                    + " for a PyTorch state_dict).")
    Path pretrained;

    @Mixin WeightsOption weights;

    @Option(
            names = "--pretrain-epochs",
            description = "Dense epochs before pruning when neither --pretrained nor --weights is given (default:"
                    + " ${DEFAULT-VALUE}).")
    int pretrainEpochs = 3;

    @Option(names = "--output", paramLabel = "DIR", description = "Output folder (default: runs/<model>-<kind>-<target>).")
    Path output;

    @Option(names = "--overwrite", description = "Replace the files of an existing, non-empty output folder (and the checkpoint of an interrupted run into it).")
    boolean overwrite;

    @Mixin ResumeOption resume;

    @Mixin DeviceOption device;

    @Mixin DataOptions data;

    @Mixin MethodOptions method;

    @Mixin PruningOptions pruning;

    @Mixin FineTuningOptions fineTuning;

    @Mixin ExportFormatsOption exports;

    @Mixin LatencyOptions latency;

    /** {@inheritDoc} */
    @Override
    public Integer call() throws Exception {
        PruneRun run = checkOptions();
        Path target =
                output != null
                        ? output
                        : Path.of("runs", run.entry().name() + "-" + run.budget().kind().key() + "-" + run.budget().target());
        RunCheckpoints checkpoints = RunCheckpoints.of(spec, target, resume.resume, overwrite);
        PruneReport report =
                run.run(target, overwrite, checkpoints, device.choice(spec), data, batchSize(), pretrained,
                        weights.weights, pretrainEpochs);
        logger.info(
                "{} at {} = {}: hard-mask validation accuracy {}; compacted and fine-tuned: test accuracy {},"
                        + " {} parameters, {} FLOPs; verified {}",
                run.entry().name(),
                run.budget(),
                String.format("%.4f", report.achieved().get(run.budget().kind().key())),
                String.format("%.4f", report.validationAccuracy()),
                report.finalTestAccuracy() == null ? "absent (no test set)"
                        : String.format("%.4f", report.finalTestAccuracy()),
                report.parameters(),
                report.flops(),
                run.exports().stream().map(format -> format.modelFile(target).toString()).toList());
        return 0;
    }

    /**
     * Checks every option as a run would, before any work, and maps them onto the run.
     *
     * @return the run
     * @throws CommandLine.ParameterException naming the bad option
     * @throws java.io.IOException if a transferred plan cannot be read
     */
    PruneRun checkOptions() throws java.io.IOException {
        pruning.applyRecipe(spec);
        if (pretrainEpochs < 0) {
            throw usage("--pretrain-epochs must be ≥ 0, got " + pretrainEpochs);
        }
        data.check(spec);
        pruning.check(spec);
        method.check(spec);
        ModelCatalog.Entry entry;
        Budget target;
        try {
            entry = ModelCatalog.get(model);
            target = Budget.parse(budget);
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage());
        }
        if (weights.given() && pretrained != null) {
            throw usage("--weights and --pretrained both give the dense model to prune; give one");
        }
        weights.check(spec, model, data);
        return new PruneRun(
                entry,
                target,
                method.method(pruning),
                pruning.order(method.method, spec),
                pruning.recipe(DEFAULT_EPOCHS),
                pruning.roundTo(target, spec),
                fineTuning.fineTuning(spec),
                method.transferFrom == null ? null : method.transferFrom.toString(),
                exports.formats(spec),
                latency.latency(spec, entry.name()));
    }

    /** The batch size of the run: --batch-size, or that of a ChipNet recipe unless given. */
    int batchSize() {
        return pruning.batchSize(method.method, spec, data.batchSize);
    }

    private CommandLine.ParameterException usage(String message) {
        return new CommandLine.ParameterException(spec.commandLine(), message);
    }
}
