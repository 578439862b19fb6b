package io.djlprune.cli;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import io.djlprune.checkpoint.PhaseCheckpoints;
import io.djlprune.compact.CompactionResult;
import io.djlprune.data.DataSplits;
import io.djlprune.engine.Engines;
import io.djlprune.export.TorchScriptExport;
import io.djlprune.io.StagedDirectory;
import io.djlprune.mask.MaskPlan;
import io.djlprune.mask.MaskPlanJson;
import io.djlprune.pipeline.FineTuning;
import io.djlprune.training.EpochSummary;
import io.djlprune.training.Evaluation;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code djl-prune finetune}: compacts a prune run and trains the smaller model; writes a verified {@code .pt}. */
@Command(
        name = "finetune",
        mixinStandardHelpOptions = true,
        description = "Compact a pruned run, fine-tune the compacted model, and export it as a verified TorchScript .pt.")
final class FinetuneCommand implements Callable<Integer> {

    static final String REPORT_FILE = "finetune-report.json";

    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().serializeSpecialFloatingPointValues().create();

    @CommandLine.Spec private CommandLine.Model.CommandSpec spec;

    @Mixin RunFolderOptions run;

    @Option(names = "--epochs", description = "Fine-tuning epochs (default: ${DEFAULT-VALUE}).")
    int epochs = 5;

    @Option(names = "--lr", description = "Initial SGD learning rate, cosine-decayed (default: ${DEFAULT-VALUE}).")
    float learningRate = 0.01f;

    @Option(names = "--output", required = true, paramLabel = "DIR", description = "Output folder (model.pt, report).")
    Path output;

    @Option(names = "--overwrite", description = "Replace the files of an existing, non-empty output folder.")
    boolean overwrite;

    @Mixin ResumeOption resume;

    @Mixin DeviceOption device;

    @Mixin DataOptions data;

    /** {@inheritDoc} */
    @Override
    public Integer call() throws Exception {
        if (epochs < 1 || !(learningRate > 0)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--epochs must be ≥ 1 and --lr > 0");
        }
        data.check(spec);
        data.requireTest(spec);
        MaskPlan plan = run.loadPlan();
        RunCheckpoints checkpoints = RunCheckpoints.of(spec, output, resume.resume, overwrite);
        try (RunSetup setup = RunSetup.open(output, overwrite, device.choice(spec), data, data.batchSize, plan.getModel())) {
            StagedDirectory out = setup.out();
            DataSplits splits = setup.splits();
            RunInput.read(run.runDir).check(splits, run.runDir);
            CompactionResult compact =
                    CompactModels.loadAndCompact(
                            run.runDir, plan, setup.model(), setup.manager(), splits.sampleShape(), splits.classes());
            List<EpochSummary> history =
                    new FineTuning(epochs, learningRate)
                            .fit(compact.block(), splits, data.batchSize, setup.device(), Engines.PYTORCH,
                                    checkpoints.phase(PhaseCheckpoints.FINETUNE, data.seed));
            double test = Evaluation.accuracy(compact.block(), splits.test(), setup.manager());
            TorchScriptExport export =
                    new TorchScriptExport(out.path().resolve(PruneCommand.MODEL_FILE), CompactModels.CLASSIFIER, 1e-5)
                            .withTestAccuracy(test)
                            .withClassNames(splits.classNames());
            export.export(compact, plan, splits.batchShape(1));
            MaskPlanJson.save(plan, out.path().resolve(PruneCommand.PLAN_FILE));
            Files.writeString(
                    out.path().resolve(REPORT_FILE),
                    GSON.toJson(Map.of("history", history, "testAccuracy", test, "export", export.getLastReport())),
                    StandardCharsets.UTF_8);
            out.commit();
            checkpoints.delete();
        }
        return 0;
    }
}
