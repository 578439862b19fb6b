package io.djlprune.cli;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.evaluator.Accuracy;
import ai.djl.training.listener.TrainingListener;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import ai.djl.translate.TranslateException;
import io.djlprune.checkpoint.Checkpointable;
import io.djlprune.checkpoint.PhaseCheckpoint;
import io.djlprune.compact.CompactionResult;
import io.djlprune.compact.Compactor;
import io.djlprune.data.DataSplits;
import io.djlprune.engine.Engines;
import io.djlprune.graph.ChannelGraph;
import io.djlprune.mask.MaskPlan;
import io.djlprune.ops.DjlOpClassifier;
import io.djlprune.ops.OpClassifier;
import io.djlprune.training.EpochSummary;
import io.djlprune.training.EpochSummaryListener;
import io.djlprune.training.ResumableSgd;
import io.djlprune.training.TrainingListeners;
import io.djlprune.zoo.model.ModelCatalog;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The steps after pruning that the {@code prune}, {@code finetune} and {@code export} commands share: rebuild a pruned
 * run's dense model from its folder, compact it with its plan, and fine-tune the compacted model.
 */
final class CompactModels {

    /** The classifier every command describes blocks with. */
    static final OpClassifier CLASSIFIER = DjlOpClassifier.newInstance();

    private CompactModels() {}

    /**
     * Loads the dense model a {@code prune} run saved, checks the plan fits it, and compacts it.
     *
     * @param runDir the prune output folder (weights and plan)
     * @param plan the plan (usually {@code runDir/plan.json})
     * @param model a fresh model to hold the dense block; its manager owns the weights
     * @param manager the manager of the compacted parameters
     * @param sampleShape the input shape of one sample
     * @param classes the class count
     * @return the compaction result
     * @throws IOException if the weights cannot be read
     * @throws MalformedModelException if the weights do not fit the model
     */
    static CompactionResult loadAndCompact(
            Path runDir, MaskPlan plan, Model model, NDManager manager, Shape sampleShape, int classes)
            throws IOException, MalformedModelException {
        if (!Files.isDirectory(runDir)) {
            throw new IOException("Run folder " + runDir + " does not exist (run 'djl-prune prune' first)");
        }
        model.setBlock(ModelCatalog.build(plan.getModel(), classes));
        Shape input = new Shape(1).addAll(sampleShape);
        model.getBlock().initialize(model.getNDManager(), DataType.FLOAT32, input);
        model.load(runDir, plan.getModel());
        ChannelGraph graph = ChannelGraph.builder().setInputShape(input).setClassifier(CLASSIFIER).build(model.getBlock());
        return Compactor.builder().setClassifier(CLASSIFIER).build().compact(manager, model.getBlock(), graph, plan.toMask(graph));
    }

    /**
     * Fine-tunes a compacted block: SGD with momentum 0.9, weight decay 1e-3 and a cosine learning rate (the
     * reference recipe, shortened).
     *
     * @param compact the compacted block, initialised
     * @param data the data
     * @param epochs the epochs; 0 skips fine-tuning
     * @param batchSize the data's batch size
     * @param learningRate the initial learning rate
     * @param device the device
     * @param phase the checkpoint of the fine-tuning, or null for none
     * @param listeners more training listeners, e.g. {@code HeldZeros} to keep pruned weights at zero
     * @return one summary per epoch
     * @throws IOException if the data cannot be read
     * @throws TranslateException if the data pipeline fails
     */
    static List<EpochSummary> fineTune(
            ai.djl.nn.Block compact,
            DataSplits data,
            int epochs,
            int batchSize,
            float learningRate,
            Device device,
            PhaseCheckpoint phase,
            TrainingListener... listeners)
            throws IOException, TranslateException {
        if (epochs == 0) {
            return List.of();
        }
        int steps = Math.toIntExact((data.train().size() + batchSize - 1) / batchSize) * epochs;
        Optimizer sgd =
                ResumableSgd.builder()
                        .setLearningRateTracker(
                                Tracker.cosine().setBaseValue(learningRate).optFinalValue(0).setMaxUpdates(steps).build())
                        .optMomentum(0.9f)
                        .optWeightDecays(1e-3f)
                        .build();
        EpochSummaryListener summaries = new EpochSummaryListener(epochs, "Accuracy");
        DefaultTrainingConfig config =
                new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
                        .optOptimizer(sgd)
                        .optDevices(new Device[] {device})
                        .addEvaluator(new Accuracy())
                        .addTrainingListeners(TrainingListeners.logging())
                        .addTrainingListeners(summaries)
                        .addTrainingListeners(listeners);
        try (Model model = Model.newInstance("compact", device, Engines.PYTORCH)) {
            model.setBlock(compact);
            PhaseCheckpoint.fit(
                    phase, model, config, new Checkpointable[] {summaries}, data, epochs, batchSize, "fine-tuning");
        }
        return summaries.getEpochs();
    }
}
