package io.djlprune.cli;

import io.djlprune.zoo.model.ModelCatalog;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code djl-prune train}: maps its options onto one {@link TrainRun}, a dense catalog model trained and saved. */
@Command(
        name = "train",
        mixinStandardHelpOptions = true,
        description = "Train a dense model (from scratch, or from PyTorch weights with --weights) on Fashion-MNIST or an"
                + " image folder; save it (DJL format) and a JSON report.")
final class TrainCommand implements Callable<Integer> {

    @CommandLine.Spec private CommandLine.Model.CommandSpec spec;

    @Option(names = "--model", required = true, description = "A catalog model (README lists them), e.g. lenet5 or resnet20.")
    String model;

    @Option(names = "--epochs", description = "Training epochs (default: ${DEFAULT-VALUE}).")
    int epochs = 5;

    @Option(
            names = "--output",
            paramLabel = "DIR",
            description = "Output folder for the model and train-report.json (default: runs/<model>).")
    Path output;

    @Option(names = "--overwrite", description = "Replace the files of an existing, non-empty output folder.")
    boolean overwrite;

    @Mixin ResumeOption resume;

    @Mixin DeviceOption device;

    @Mixin DataOptions data;

    @Mixin WeightsOption weights;

    @Mixin OptimizerOptions optimizer;

    /** {@inheritDoc} */
    @Override
    public Integer call() throws Exception {
        ModelCatalog.Entry entry = checkArguments();
        Path target = output != null ? output : Path.of("runs", model);
        RunCheckpoints checkpoints = RunCheckpoints.of(spec, target, resume.resume, overwrite);
        new TrainRun(entry, epochs, optimizer, weights.weights).run(target, overwrite, checkpoints, device.choice(spec), data);
        return 0;
    }

    private ModelCatalog.Entry checkArguments() {
        if (epochs < 1) {
            throw usage("--epochs must be ≥ 1, got " + epochs);
        }
        data.check(spec);
        String optimizerError = optimizer.validate();
        if (optimizerError != null) {
            throw usage(optimizerError);
        }
        ModelCatalog.Entry entry;
        try {
            entry = ModelCatalog.get(model);
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage());
        }
        weights.check(spec, model, data);
        return entry;
    }


    private CommandLine.ParameterException usage(String message) {
        return new CommandLine.ParameterException(spec.commandLine(), message);
    }
}
