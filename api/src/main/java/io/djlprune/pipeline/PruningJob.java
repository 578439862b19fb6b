package io.djlprune.pipeline;

import ai.djl.MalformedModelException;
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
import io.djlprune.cost.LatencyTable;
import io.djlprune.data.DataSplits;
import io.djlprune.graph.ChannelGraph;
import io.djlprune.mask.ChannelOrder;
import io.djlprune.mask.MaskPlan;
import io.djlprune.mask.MaskSelector;
import io.djlprune.method.MethodResult;
import io.djlprune.method.PruningContext;
import io.djlprune.method.PruningMethod;
import io.djlprune.method.PruningRecipe;
import io.djlprune.ops.OpClassifier;
import io.djlprune.training.EpochSummary;
import io.djlprune.training.Evaluation;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One structured-pruning run of a trained DJL model: the method finds a budget-exact mask (training where it trains),
 * the network is physically compacted, fine-tuned, and handed to the exporters. Built with {@link #builder()};
 * {@link #run} does it all; {@link #findMask} and {@link #finish} are its two halves, for callers that keep the
 * dense weights between them. The model is left holding the weights the mask was chosen on. Default fine-tuning: 2
 * epochs from learning rate 0.01.
 *
 * <pre>{@code
 * PruningResult result = PruningJob.builder()
 *         .setModel(model)                          // trained; its block set
 *         .setData(splits, 128)
 *         .setMethod(ScoringMethod.l1())
 *         .setBudget(Budget.parse("flops=0.5"))
 *         .optFineTuning(new FineTuning(2, 0.01f))
 *         .build()
 *         .run(manager);
 * }</pre>
 */
public final class PruningJob {

    private static final Logger logger = LoggerFactory.getLogger(PruningJob.class);

    private final Model dense;
    private final DataSplits data;
    private final int batchSize;
    private final PruningMethod method;
    private final Budget budget;
    private final PruningRecipe recipe;
    private final ChannelOrder order;
    private final int roundTo;
    private final FineTuning fineTuning;
    private final long seed;
    private final OpClassifier classifier;
    private final List<CompactModelExporter> exporters;
    private final List<TrainingListener> listeners;
    private final Path planFile;
    private final PhaseCheckpoints checkpoints;
    private final LatencyTable latency;
    private long started;
    private ChannelGraph denseGraph;

    private PruningJob(Builder builder) {
        this.dense = builder.dense;
        this.data = builder.data;
        this.batchSize = builder.batchSize;
        this.method = builder.method;
        this.budget = builder.budget;
        this.recipe = builder.recipe;
        this.order = builder.order != null ? builder.order : builder.method.defaultOrder();
        this.roundTo = builder.roundTo;
        this.fineTuning = builder.fineTuning;
        this.seed = builder.seed;
        this.classifier = builder.classifier;
        this.exporters = List.copyOf(builder.exporters);
        this.listeners = List.copyOf(builder.listeners);
        this.planFile = builder.planFile;
        this.checkpoints = builder.checkpoints;
        this.latency = builder.latency;
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
     * Returns the dense model's channel graph, as the job sees it (built once, on first use).
     *
     * @return the graph
     */
    public ChannelGraph channelGraph() {
        if (denseGraph == null) {
            denseGraph =
                    ChannelGraph.builder().setInputShape(data.batchShape(1)).setClassifier(classifier).build(dense.getBlock());
        }
        return denseGraph;
    }

    /**
     * Runs the job: finds the mask, compacts, fine-tunes, exports.
     *
     * @param manager the manager that owns the compacted network (on the run's device); it must outlive the result
     * @return the result
     * @throws IOException if data, a checkpoint or an export cannot be read or written
     * @throws TranslateException if the data pipeline fails
     * @throws MalformedModelException if saved weights do not fit the model
     * @throws io.djlprune.method.PruningStoppedException if the method's training diverged after it had a plan
     */
    public PruningResult run(NDManager manager) throws IOException, TranslateException, MalformedModelException {
        return finish(findMask(manager), manager);
    }

    /**
     * The first half of {@link #run}: the method finds the mask (training where it trains). The dense model then holds
     * the weights the mask was chosen on, e.g. to save them before {@link #finish}.
     *
     * @param manager the manager of the run's arrays (on the run's device)
     * @return the plan and the masked network
     * @throws IOException if data or a checkpoint cannot be read
     * @throws TranslateException if the data pipeline fails
     * @throws MalformedModelException if saved weights do not fit the model
     * @throws io.djlprune.method.PruningStoppedException if the method's training diverged after it had a plan
     */
    public MethodResult findMask(NDManager manager) throws IOException, TranslateException, MalformedModelException {
        started = System.nanoTime();
        ChannelGraph graph = channelGraph();
        logger.info(
                "{}: {} prunable channel groups, {} prunable channels; budget {}; method {}",
                dense.getName(),
                graph.prunableGroups().size(),
                graph.prunableChannels(),
                budget,
                method);
        MaskSelector selector = MaskSelector.builder().optOrder(order).optRoundTo(roundTo).build();
        PruningContext context =
                new PruningContext(
                        dense.getName(), dense, graph, data, batchSize, budget, selector, manager, recipe, seed,
                        planFile, checkpoints, listeners, latency);
        return method.prune(context);
    }

    /**
     * The second half of {@link #run}: measures the mask on the test data, compacts the dense network with it,
     * fine-tunes the compacted one and hands it to the exporters.
     *
     * @param found what {@link #findMask} returned
     * @param manager the manager that owns the compacted network; it must outlive the result
     * @return the result
     * @throws IOException if data, a checkpoint or an export cannot be read or written
     * @throws TranslateException if the data pipeline fails
     */
    public PruningResult finish(MethodResult found, NDManager manager) throws IOException, TranslateException {
        long start = started != 0 ? started : System.nanoTime();
        ChannelGraph graph = channelGraph();
        MaskPlan plan = found.plan();
        // a dataset without a test set reports NaN for both test accuracies: no other split stands in for it
        double maskedTest = data.hasTest() ? Evaluation.accuracy(found.masked(), data.test(), manager) : Double.NaN;
        CompactionResult compact =
                Compactor.builder().setClassifier(classifier).build().compact(manager, dense.getBlock(), graph, plan.toMask(graph));
        logger.info("Compacted:\n{}", compact.describe());
        List<EpochSummary> fineTuned =
                fineTuning.fit(
                        compact.block(),
                        data,
                        batchSize,
                        manager.getDevice(),
                        dense.getNDManager().getEngine().getEngineName(),
                        checkpoints.phase(PhaseCheckpoints.FINETUNE),
                        listeners.toArray(new TrainingListener[0]));
        double test = data.hasTest() ? Evaluation.accuracy(compact.block(), data.test(), manager) : Double.NaN;
        for (CompactModelExporter exporter : exporters) {
            if (data.hasTest()) {
                exporter.export(compact, plan, data.batchShape(1), test);
            } else {
                exporter.export(compact, plan, data.batchShape(1));
            }
        }
        CostModel compactCost = compact.cost(data.batchShape(1), classifier);
        return new PruningResult(
                plan,
                compact,
                found.history(),
                maskedTest,
                fineTuned,
                test,
                compactCost.full(BudgetKind.PARAMETERS),
                compactCost.full(BudgetKind.FLOPS),
                (System.nanoTime() - start) / 1e9);
    }

    /** Configures a {@link PruningJob}. */
    public static final class Builder extends JobBuilder<Builder> {
        private PruningMethod method;
        private Budget budget;
        private PruningRecipe recipe = new PruningRecipe(20, 1e-3f, null);
        private ChannelOrder order;
        private int roundTo = 1;
        private long seed = 42;
        private Path planFile;
        private LatencyTable latency;

        Builder() {
            super(new FineTuning(2, 0.01f));
        }

        /** {@inheritDoc} */
        @Override
        protected Builder self() {
            return this;
        }

        /**
         * Sets the pruning method.
         *
         * @param method e.g. {@code ChipNetMethod.builder().build()} or {@code ScoringMethod.l1()}
         * @return this builder
         */
        public Builder setMethod(PruningMethod method) {
            this.method = method;
            return this;
        }

        /**
         * Sets the budget.
         *
         * @param budget e.g. FLOPs 0.25
         * @return this builder
         */
        public Builder setBudget(Budget budget) {
            this.budget = budget;
            return this;
        }

        /**
         * Sets how long and how fast the method trains (default 20 epochs, learning rate 1e-3, the method's reference
         * weight decay).
         *
         * @param recipe the recipe
         * @return this builder
         */
        public Builder optRecipe(PruningRecipe recipe) {
            this.recipe = requireNonNull(recipe, "recipe");
            return this;
        }

        /**
         * Sets the order in which the selector gives up channels (default: the method's).
         *
         * @param order the order
         * @return this builder
         */
        public Builder optOrder(ChannelOrder order) {
            this.order = requireNonNull(order, "channel order");
            return this;
        }

        /**
         * Keeps a multiple of {@code step} channels in every group wider than it (default 1: no rounding).
         *
         * @param step ≥ 1
         * @return this builder
         */
        public Builder optRoundTo(int step) {
            if (step < 1) {
                throw new IllegalArgumentException("Rounding must be to ≥ 1 channel, got " + step);
            }
            this.roundTo = step;
            return this;
        }

        /**
         * Sets the seed of random scores (default 42); the data order is the engine's.
         *
         * @param seed the seed
         * @return this builder
         */
        public Builder optSeed(long seed) {
            this.seed = seed;
            return this;
        }

        /**
         * Makes a learning method write its best plan to a file after every epoch.
         *
         * @param planFile the file
         * @return this builder
         */
        public Builder optPlanFile(Path planFile) {
            this.planFile = planFile;
            return this;
        }

        /**
         * Sets the latency table of the dense network on the device that will serve it (engine-ops'
         * {@code LatencyTables.loadOrBuild} measures or loads one), so that a {@link io.djlprune.cost.BudgetKind#LATENCY}
         * budget can be met and every plan records its predicted latency ratio.
         *
         * @param table the table, measured for the model's channel graph
         * @return this builder
         */
        public Builder optLatencyTable(LatencyTable table) {
            this.latency = requireNonNull(table, "latency table");
            return this;
        }

        /**
         * Builds the job.
         *
         * @return the job
         * @throws IllegalArgumentException naming what is missing
         */
        public PruningJob build() {
            List<String> missing = new ArrayList<>();
            if (dense == null || dense.getBlock() == null) {
                missing.add("a model with its block (setModel)");
            }
            if (data == null) {
                missing.add("data (setData)");
            }
            if (method == null) {
                missing.add("a method (setMethod)");
            }
            if (budget == null) {
                missing.add("a budget (setBudget)");
            } else if (budget.kind() == BudgetKind.LATENCY && latency == null) {
                missing.add("a latency table for the latency budget (optLatencyTable)");
            }
            if (!missing.isEmpty()) {
                throw new IllegalArgumentException("A pruning job needs " + String.join(", ", missing));
            }
            return new PruningJob(this);
        }
    }
}
