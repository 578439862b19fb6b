package io.djlprune.cli;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.training.loss.Loss;
import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import io.djlprune.data.DataSplits;
import io.djlprune.engine.DeviceChoice;
import io.djlprune.engine.Engines;
import io.djlprune.io.StagedDirectory;
import io.djlprune.training.EpochSummary;
import io.djlprune.training.Evaluation;
import io.djlprune.zoo.model.ModelCatalog;
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

/** {@code djl-prune train}: trains a dense catalog model on Fashion-MNIST and saves it with a JSON report. */
@Command(
        name = "train",
        mixinStandardHelpOptions = true,
        description = "Train a dense model on Fashion-MNIST; save it (DJL format) and a JSON report.")
final class TrainCommand implements Callable<Integer> {

    private static final Logger logger = LoggerFactory.getLogger(TrainCommand.class);
    private static final Gson GSON =
            new GsonBuilder().setPrettyPrinting().serializeSpecialFloatingPointValues().create();

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

    @Mixin OptimizerOptions optimizer;

    /** {@inheritDoc} */
    @Override
    public Integer call() throws Exception {
        long start = System.nanoTime();
        ModelCatalog.Entry entry = checkArguments();
        DeviceChoice deviceChoice = device.choice(spec);
        Path target = output != null ? output : Path.of("runs", model);
        RunCheckpoints checkpoints = RunCheckpoints.of(spec, target, resume.resume, overwrite);
        try (StagedDirectory out = StagedDirectory.create(target, overwrite)) {
            Engine engine = Engines.pytorch();
            Device runDevice = deviceChoice.resolve(engine.getDevices());
            engine.setRandomSeed((int) data.seed);
            try (NDManager dataManager = NDManager.newBaseManager(runDevice);
                    Model net = Model.newInstance(entry.name(), runDevice, Engines.PYTORCH)) {
                DataSplits splits = data.load(dataManager);
                net.setBlock(entry.factory().apply(splits.classes()));
                logger.info(
                        "Training {} on {} ({} train / {} validation / {} test images), {} epochs, batch {}, {}",
                        entry.name(),
                        runDevice,
                        splits.train().size(),
                        splits.validation().size(),
                        splits.test().size(),
                        epochs,
                        data.batchSize,
                        optimizer);
                List<EpochSummary> history =
                        DenseTraining.fit(
                                net, splits, epochs, data.batchSize, optimizer, runDevice,
                                Loss.softmaxCrossEntropyLoss(),
                                checkpoints.phase(RunCheckpoints.TRAINING, spec, data.seed));
                long parameters = Evaluation.parameterCount(net.getBlock(), true);
                double testAccuracy = Evaluation.accuracy(net.getBlock(), splits.test(), dataManager);
                EpochSummary last = history.get(history.size() - 1);
                net.setProperty("Epoch", String.valueOf(epochs));
                net.save(out.path(), entry.name());
                double wall = (System.nanoTime() - start) / 1e9;
                double perEpoch =
                        history.stream().mapToDouble(EpochSummary::seconds).average().orElse(0);
                TrainReport report =
                        new TrainReport(
                                entry.name(),
                                "fashion-mnist",
                                splits.classes(),
                                splits.sampleShape().getShape(),
                                runDevice.toString(),
                                engine.getEngineName() + " " + engine.getVersion(),
                                epochs,
                                data.batchSize,
                                optimizer.toString(),
                                data.seed,
                                data.augment,
                                splits.train().size(),
                                parameters,
                                history,
                                last.validationAccuracy(),
                                testAccuracy,
                                wall,
                                perEpoch);
                Files.writeString(
                        out.path().resolve("train-report.json"), GSON.toJson(report), StandardCharsets.UTF_8);
                out.commit();
                checkpoints.delete();
                logger.info(
                        "{}: test accuracy {}, {} parameters, {} s per epoch; saved to {}",
                        entry.name(),
                        String.format("%.4f", testAccuracy),
                        parameters,
                        String.format("%.1f", perEpoch),
                        out.target());
            }
        }
        return 0;
    }

    private ModelCatalog.Entry checkArguments() {
        if (epochs < 1) {
            throw usage("--epochs must be ≥ 1, got " + epochs);
        }
        if (data.batchSize < 1) {
            throw usage("--batch-size must be ≥ 1, got " + data.batchSize);
        }
        if (data.limit != null && data.limit < 1) {
            throw usage("--limit must be ≥ 1, got " + data.limit);
        }
        String optimizerError = optimizer.validate();
        if (optimizerError != null) {
            throw usage(optimizerError);
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
