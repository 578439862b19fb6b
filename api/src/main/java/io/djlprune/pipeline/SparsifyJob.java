package io.djlprune.pipeline;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDManager;
import ai.djl.training.listener.TrainingListener;
import ai.djl.translate.TranslateException;
import io.djlprune.checkpoint.PhaseCheckpoints;
import io.djlprune.compact.CompactModelExporter;
import io.djlprune.compact.CompactionResult;
import io.djlprune.compact.Compactor;
import io.djlprune.cost.Budget;
import io.djlprune.cost.BudgetKind;
import io.djlprune.cost.CostModel;
import io.djlprune.data.DataSplits;
import io.djlprune.graph.ChannelGraph;
import io.djlprune.graph.ChannelMask;
import io.djlprune.hoyer.HeldZeros;
import io.djlprune.hoyer.HoyerRegularizedLoss;
import io.djlprune.hoyer.HoyerVariant;
import io.djlprune.hoyer.MagnitudeThreshold;
import io.djlprune.hoyer.SparsityReport;
import io.djlprune.hoyer.WeightCut;
import io.djlprune.hoyer.WeightMasks;
import io.djlprune.hoyer.WeightPruner;
import io.djlprune.mask.MaskPlan;
import io.djlprune.ops.OpClassifier;
import io.djlprune.training.ClassifierTraining;
import io.djlprune.training.EpochSummary;
import io.djlprune.training.Evaluation;
import io.djlprune.training.OptimizerRecipe;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One element-wise DeepHoyer run of a trained DJL model (ALGORITHMS.md §2): train with α·Hoyer-Square (or α·Group-HS)
 * added to the loss, zero every convolution and linear weight below a {@link WeightCut}, fine-tune with those zeros
 * held ({@link HeldZeros}) and no regulariser, and hand the sparse network to the exporters. The network keeps its
 * shape (the zeros are scattered), so it is exported with every channel; {@link PruningJob} with the Group-HS method
 * is the structured flow that removes channels. Built with {@link #builder()}; {@link #run} does it all and leaves
 * the sparse weights in the model. Exporters receive a copy with every channel kept and a plan of method {@value
 * #METHOD}; extra training listeners run in both training phases, in fine-tuning after the job's own {@link
 * HeldZeros}. Default fine-tuning: 5 epochs from learning rate 0.01.
 *
 * <pre>{@code
 * SparsifyResult result = SparsifyJob.builder()
 *         .setModel(model)                          // trained; its block set and initialised
 *         .setData(splits, 128)
 *         .optVariant(HoyerVariant.ELEMENTWISE)
 *         .optCut(WeightCut.keepingAtMost(20_000))
 *         .optFineTuning(new FineTuning(5, 0.01f))
 *         .build()
 *         .run(manager);
 * }</pre>
 */
public final class SparsifyJob {

    /** The method name of the plan the exporters receive (every channel kept). */
    public static final String METHOD = "sparsify";

    private static final Logger logger = LoggerFactory.getLogger(SparsifyJob.class);

    private final Model dense;
    private final DataSplits data;
    private final int batchSize;
    private final HoyerVariant variant;
    private final float alpha;
    private final int epochs;
    private final OptimizerRecipe optimizer;
    private final WeightCut cut;
    private final FineTuning fineTuning;
    private final OpClassifier classifier;
    private final List<CompactModelExporter> exporters;
    private final List<TrainingListener> listeners;
    private final PhaseCheckpoints checkpoints;
    private final Path regularizedFolder;

    private SparsifyJob(Builder builder) {
        this.dense = builder.dense;
        this.data = builder.data;
        this.batchSize = builder.batchSize;
        this.variant = builder.variant;
        this.alpha = builder.alpha;
        this.epochs = builder.epochs;
        this.optimizer = builder.optimizer;
        this.cut = builder.cut;
        this.fineTuning = builder.fineTuning;
        this.classifier = builder.classifier;
        this.exporters = List.copyOf(builder.exporters);
        this.listeners = List.copyOf(builder.listeners);
        this.checkpoints = builder.checkpoints;
        this.regularizedFolder = builder.regularizedFolder;
    }

    /**
     * Creates a builder.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Builds the model's channel graph, as the job sees it.
     *
     * @return the graph
     */
    public ChannelGraph channelGraph() {
        return ChannelGraph.builder().setInputShape(data.batchShape(1)).setClassifier(classifier).build(dense.getBlock());
    }

    /**
     * Runs the job: regularised training, the cut, fine-tuning with the zeros held, the sparsity count, the exports.
     * The model then holds the sparse weights.
     *
     * @param manager the manager of the run's arrays, on the device to train on; the masks and the exported copy live
     *     in sub-managers of it and are freed before this returns
     * @return the result
     * @throws IOException if data, a checkpoint, the regularised model or an export cannot be read or written
     * @throws TranslateException if the data pipeline fails
     * @throws IllegalStateException if fine-tuning revived a pruned weight ({@link HeldZeros})
     */
    public SparsifyResult run(NDManager manager) throws IOException, TranslateException {
        long start = System.nanoTime();
        Device device = manager.getDevice();
        ChannelGraph graph = channelGraph();
        // no epochs: the model already carries the regularised training
        List<EpochSummary> regularized = epochs > 0 ? trainRegularized(graph, device) : List.of();
        double before = Evaluation.accuracy(dense.getBlock(), data.validation(), manager);
        WeightPruner pruner = new WeightPruner(graph);
        MagnitudeThreshold threshold = cut.resolve(pruner);
        if (!cut.isFixed()) {
            logger.info("Keeping {}: zero {}", cut, threshold);
        }
        SparsityReport pruned;
        double after;
        List<EpochSummary> fineTuned;
        try (WeightMasks masks = pruner.prune(threshold, manager)) {
            pruned = masks.getReport();
            after = Evaluation.accuracy(dense.getBlock(), data.validation(), manager);
            logger.info(
                    "Zeroed weights with {}: {} of {} non-zero; validation accuracy {} → {}",
                    threshold, pruned.totalNonzero(), pruned.totalWeights(),
                    String.format("%.4f", before), String.format("%.4f", after));
            // FineTuning creates a new optimiser, without momentum for the zeroed weights, as HeldZeros needs
            List<TrainingListener> held = new ArrayList<>();
            held.add(new HeldZeros(masks));
            held.addAll(listeners);
            fineTuned =
                    fineTuning.fit(
                            dense.getBlock(), data, batchSize, device, dense.getNDManager().getEngine().getEngineName(),
                            checkpoints.phase(PhaseCheckpoints.FINETUNE), held.toArray(new TrainingListener[0]));
        }
        SparsityReport sparse = SparsityReport.of(graph);
        // NaN when the data has no test set: no other split stands in for it
        double test = data.hasTest() ? Evaluation.accuracy(dense.getBlock(), data.test(), manager) : Double.NaN;
        export(graph, manager, test);
        return new SparsifyResult(
                threshold, regularized, before, after, pruned, fineTuned, test, sparse, (System.nanoTime() - start) / 1e9);
    }

    /** Trains with α·R, then saves the model before any cut in the regularised folder, when one is set. */
    private List<EpochSummary> trainRegularized(ChannelGraph graph, Device device)
            throws IOException, TranslateException {
        logger.info(
                "{}: {} epochs with α = {} · {}",
                dense.getName(), epochs, alpha, variant == HoyerVariant.ELEMENTWISE ? "Hoyer-Square" : "Group-HS");
        HoyerRegularizedLoss loss =
                HoyerRegularizedLoss.builder().setGraph(graph).optVariant(variant).optAlpha(alpha).build();
        List<EpochSummary> trained =
                ClassifierTraining.fit(
                        dense, data, epochs, batchSize, optimizer, device, loss,
                        checkpoints.phase(PhaseCheckpoints.REGULARIZED), listeners.toArray(new TrainingListener[0]));
        if (regularizedFolder != null) {
            dense.save(Files.createDirectories(regularizedFolder), dense.getName());
        }
        return trained;
    }

    /** Hands the sparse network, every channel kept, to the exporters, as a copy freed afterwards. */
    private void export(ChannelGraph graph, NDManager manager, double test) throws IOException {
        if (exporters.isEmpty()) {
            return;
        }
        ChannelMask all = ChannelMask.full(graph);
        MaskPlan plan =
                MaskPlan.of(dense.getName(), METHOD, new CostModel(graph), new Budget(BudgetKind.PARAMETERS, 1.0), all);
        try (NDManager copies = manager.newSubManager()) {
            CompactionResult same =
                    Compactor.builder().setClassifier(classifier).build().compact(copies, dense.getBlock(), graph, all);
            for (CompactModelExporter exporter : exporters) {
                exporter.export(same, plan, graph.getInputShape(), test);
            }
        }
    }

    /** Configures a {@link SparsifyJob}. */
    public static final class Builder extends JobBuilder<Builder> {
        private HoyerVariant variant = HoyerVariant.ELEMENTWISE;
        private float alpha = HoyerRegularizedLoss.DEFAULT_ALPHA;
        private int epochs = 10;
        private OptimizerRecipe optimizer = OptimizerRecipe.builder().optLearningRate(1e-3f).optWeightDecay(1e-4f).build();
        private WeightCut cut = WeightCut.below(MagnitudeThreshold.absolute(1e-3f));
        private Path regularizedFolder;

        Builder() {
            super(new FineTuning(5, 0.01f));
        }

        /** {@inheritDoc} */
        @Override
        protected Builder self() {
            return this;
        }

        /**
         * Sets the regulariser of the training before the cut (default {@link HoyerVariant#ELEMENTWISE}, Hoyer-Square).
         *
         * @param variant element-wise Hoyer-Square or Group-HS
         * @return this builder
         */
        public Builder optVariant(HoyerVariant variant) {
            this.variant = requireNonNull(variant, "Hoyer variant");
            return this;
        }

        /**
         * Sets α, the regulariser's weight (default 1e-3, the reference).
         *
         * @param alpha a finite number ≥ 0
         * @return this builder
         */
        public Builder optAlpha(float alpha) {
            if (!(alpha >= 0) || !Float.isFinite(alpha)) {
                throw new IllegalArgumentException("α must be a finite number ≥ 0, got " + alpha);
            }
            this.alpha = alpha;
            return this;
        }

        /**
         * Sets the epochs of training with α·R (default 10); 0 cuts the model as it is, e.g. one saved in the
         * {@linkplain #optRegularizedFolder regularised folder} of an earlier run, to try another cut.
         *
         * @param epochs ≥ 0
         * @return this builder
         */
        public Builder optEpochs(int epochs) {
            if (epochs < 0) {
                throw new IllegalArgumentException("The regularised training's epochs must be ≥ 0, got " + epochs);
            }
            this.epochs = epochs;
            return this;
        }

        /**
         * Sets the optimiser of the regularised training (default Adam, learning rate 1e-3 to 0 by a cosine, weight
         * decay 1e-4: the reference).
         *
         * @param optimizer the recipe
         * @return this builder
         */
        public Builder optOptimizer(OptimizerRecipe optimizer) {
            this.optimizer = requireNonNull(optimizer, "optimiser recipe");
            return this;
        }

        /**
         * Sets which weights are zeroed (default {@code |w| < 0.001}, the reference's MNIST value).
         *
         * @param cut e.g. {@code WeightCut.keepingAtMost(20_000)}
         * @return this builder
         */
        public Builder optCut(WeightCut cut) {
            this.cut = requireNonNull(cut, "weight cut");
            return this;
        }

        /**
         * Saves the model after the regularised training, before the cut, in a folder (created if needed), so other
         * cuts can start from it; nothing is saved when the job trains no epochs.
         *
         * @param folder the folder
         * @return this builder
         */
        public Builder optRegularizedFolder(Path folder) {
            this.regularizedFolder = requireNonNull(folder, "regularised model folder");
            return this;
        }

        /**
         * Builds the job.
         *
         * @return the job
         * @throws IllegalArgumentException naming what is missing
         */
        public SparsifyJob build() {
            List<String> missing = new ArrayList<>();
            if (dense == null || dense.getBlock() == null || !dense.getBlock().isInitialized()) {
                missing.add("a model with its block set and initialised (setModel)");
            }
            if (data == null) {
                missing.add("data (setData)");
            }
            if (!missing.isEmpty()) {
                throw new IllegalArgumentException("A sparsify job needs " + String.join(", ", missing));
            }
            return new SparsifyJob(this);
        }
    }
}
