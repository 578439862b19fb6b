package io.djlprune.cli;

import ai.djl.training.loss.Loss;
import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import io.djlprune.data.DataSplits;
import io.djlprune.engine.DeviceChoice;
import io.djlprune.training.EpochSummary;
import io.djlprune.training.Evaluation;
import io.djlprune.zoo.model.ModelCatalog;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One dense training run of a catalog model into an output folder, as {@code train} runs it and as a sweep trains its
 * shared dense model in its own process: the run's set-up ({@link RunSetup}), training with a checkpoint per epoch,
 * test accuracy, the model (DJL format) and {@code train-report.json}.
 *
 * @param entry the catalog model
 * @param epochs training epochs
 * @param optimizer the optimiser options
 * @param weights a PyTorch state_dict to start from (a torchvision architecture), or null for a fresh initialisation
 */
record TrainRun(ModelCatalog.Entry entry, int epochs, OptimizerOptions optimizer, Path weights) {

    /**
     * A run from a fresh initialisation.
     *
     * @param entry the catalog model
     * @param epochs training epochs
     * @param optimizer the optimiser options
     */
    TrainRun(ModelCatalog.Entry entry, int epochs, OptimizerOptions optimizer) {
        this(entry, epochs, optimizer, null);
    }

    private static final Logger logger = LoggerFactory.getLogger(TrainRun.class);
    private static final Gson GSON =
            new GsonBuilder().setPrettyPrinting().serializeSpecialFloatingPointValues().create();

    /**
     * Runs it.
     *
     * @param target the output folder
     * @param overwrite whether an existing, non-empty output folder may be replaced
     * @param checkpoints the run's checkpoints
     * @param device the device choice
     * @param data the data options
     * @return the report written into the folder
     * @throws Exception if the run fails (its folder is then not created)
     */
    TrainReport run(Path target, boolean overwrite, RunCheckpoints checkpoints, DeviceChoice device, DataOptions data)
            throws Exception {
        long start = System.nanoTime();
        try (RunSetup run = RunSetup.open(target, overwrite, device, data, data.batchSize, entry.name())) {
            if (weights != null) {
                run.withImportedBlock(entry, weights);
            } else {
                run.withCatalogBlock(entry);
            }
            DataSplits splits = run.splits();
            logger.info(
                    "Training {} on {} ({} train / {} validation / {} test images), {} epochs, batch {}, {}",
                    entry.name(),
                    run.device(),
                    splits.train().size(),
                    splits.validation().size(),
                    splits.hasTest() ? splits.test().size() : "no",
                    epochs,
                    data.batchSize,
                    optimizer);
            List<EpochSummary> history =
                    DenseTraining.fit(
                            run.model(), splits, epochs, data.batchSize, optimizer, run.device(),
                            Loss.softmaxCrossEntropyLoss(), checkpoints.phase(RunCheckpoints.TRAINING, data.seed));
            long parameters = Evaluation.parameterCount(run.model().getBlock(), true);
            Double testAccuracy =
                    splits.hasTest() ? Evaluation.accuracy(run.model().getBlock(), splits.test(), run.manager()) : null;
            run.model().setProperty("Epoch", String.valueOf(epochs));
            run.model().save(run.out().path(), entry.name());
            double perEpoch = history.stream().mapToDouble(EpochSummary::seconds).average().orElse(0);
            TrainReport report =
                    new TrainReport(
                            entry.name(),
                            data.describe(),
                            splits.classes(),
                            splits.classNames(),
                            weights == null ? null : weights.toString(),
                            splits.sampleShape().getShape(),
                            run.device().toString(),
                            run.engine().getEngineName() + " " + run.engine().getVersion(),
                            epochs,
                            data.batchSize,
                            optimizer.toString(),
                            data.seed,
                            data.augment,
                            splits.train().size(),
                            parameters,
                            history,
                            history.get(history.size() - 1).validationAccuracy(),
                            testAccuracy,
                            TrainReport.testSet(splits, data),
                            (System.nanoTime() - start) / 1e9,
                            perEpoch);
            Files.writeString(
                    run.out().path().resolve(DenseTorchScript.TRAIN_REPORT_FILE), GSON.toJson(report),
                    StandardCharsets.UTF_8);
            run.out().commit();
            checkpoints.delete();
            logger.info(
                    "{}: test accuracy {}, {} parameters, {} s per epoch; saved to {}",
                    entry.name(),
                    testAccuracy == null ? "absent (no test set)" : String.format("%.4f", testAccuracy),
                    parameters,
                    String.format("%.1f", perEpoch),
                    run.out().target());
            return report;
        }
    }
}
