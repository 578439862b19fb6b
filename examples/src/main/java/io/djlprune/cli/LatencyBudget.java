package io.djlprune.cli;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.djlprune.compact.CompactionResult;
import io.djlprune.compact.Compactor;
import io.djlprune.cost.Budget;
import io.djlprune.cost.BudgetKind;
import io.djlprune.cost.CostModel;
import io.djlprune.cost.LatencyTable;
import io.djlprune.engine.DeviceChoice;
import io.djlprune.engine.Engines;
import io.djlprune.engine.InterleavedTiming;
import io.djlprune.export.TorchScriptExport;
import io.djlprune.graph.ChannelGraph;
import io.djlprune.graph.ChannelMask;
import io.djlprune.io.AtomicFiles;
import io.djlprune.latency.LatencyTables;
import io.djlprune.mask.MaskPlan;
import io.djlprune.training.ConsoleProgress;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How a run with a latency budget gets its latency table (loaded from its cache file, or measured on the device and
 * stored) and how it measures what it achieved: the exported {@code model.pt} timed against the dense model exported
 * the same way, interleaved in this process ({@link InterleavedTiming}).
 *
 * @param device the device the table and the timing run on, or null for the run's
 * @param batchSize the batch size of both
 * @param table the table's cache file
 * @param rounds the interleaved rounds of the measurement
 */
record LatencyBudget(DeviceChoice device, int batchSize, Path table, int rounds) {

    /** Interleaved rounds of the measured latency unless given. */
    static final int DEFAULT_ROUNDS = 30;

    /** A sweep's latency table, in the sweep folder. */
    static final String SWEEP_TABLE = "latency-table.json";

    /** Untimed rounds before them. */
    static final int WARMUP_ROUNDS = 5;

    private static final Logger logger = LoggerFactory.getLogger(LatencyBudget.class);

    /**
     * The default cache file of a model's table.
     *
     * @param model the catalog model
     * @return {@code runs/latency/<model>.json}
     */
    static Path defaultTable(String model) {
        return Path.of("runs", "latency", model + ".json");
    }

    /**
     * Returns the latency table of the run's dense model when the budget is a latency budget.
     *
     * @param budget the budget
     * @param run the run's set-up, its model loaded
     * @param roundTo the run's rounding step, the table's grid step
     * @return the table, or null for any other budget
     * @throws java.io.IOException if the cache cannot be read or written
     */
    LatencyTable tableFor(Budget budget, RunSetup run, int roundTo) throws java.io.IOException {
        if (budget.kind() != BudgetKind.LATENCY) {
            return null;
        }
        if (roundTo == 1) {
            logger.warn("--round-to 1: widths between the table's samples are interpolated, and CPU kernels are often"
                    + " much slower at widths that are not a multiple of their vector width; with --round-to 8 (16 on"
                    + " AVX-512) every width the mask keeps is a multiple the table sampled (docs/LATENCY.md)");
        }
        ChannelGraph graph = graph(run);
        return LatencyTables.builder()
                .setDevice(device(run))
                .setClassifier(CompactModels.CLASSIFIER)
                .optBatchSize(batchSize)
                .optGridStep(roundTo)
                .optProgress(new ConsoleProgress())
                .build()
                .loadOrBuild(table, graph, run.model().getBlock());
    }

    /**
     * Times the exported {@code model.pt} against the dense model, interleaved, and returns what the report states.
     *
     * @param budget the budget
     * @param plan the plan, with the predicted latency ratio
     * @param run the run's set-up (its model holds the dense weights)
     * @param prunedPt the exported pruned model
     * @return the check
     * @throws Exception if the dense model cannot be exported or a model cannot be loaded
     */
    LatencyCheck check(Budget budget, MaskPlan plan, RunSetup run, Path prunedPt) throws Exception {
        ChannelGraph graph = graph(run);
        Device target = device(run);
        Path folder = Files.createTempDirectory("djl-prune-dense");
        try {
            Path densePt = folder.resolve("dense.pt");
            exportDense(run, graph, densePt);
            Shape batch = new Shape(batchSize).addAll(graph.getInputShape().slice(1));
            InterleavedTiming.Comparison measured =
                    InterleavedTiming.compareTorchScripts(densePt, prunedPt, target, batch, rounds, WARMUP_ROUNDS);
            LatencyCheck check =
                    new LatencyCheck(budget.target(), plan.getRatio(BudgetKind.LATENCY), measured.ratio(),
                            measured.ratioP25(), measured.ratioP75(), measured.referenceMs(), measured.candidateMs(),
                            batchSize, measured.device(), rounds, table.toString());
            logger.info(
                    "Latency (batch {}, {}): target {}, predicted {}, measured {} (p25–p75 {}–{}); dense {} ms, pruned {}"
                            + " ms", batchSize, measured.device(), fmt(check.target()), fmt(check.predictedRatio()),
                    fmt(check.measuredRatio()), fmt(check.measuredRatioP25()), fmt(check.measuredRatioP75()),
                    fmt(check.denseMs()), fmt(check.prunedMs()));
            return check;
        } finally {
            AtomicFiles.deleteTree(folder);
        }
    }

    /** The dense model through the same compaction and TorchScript path as the pruned one, every channel kept. */
    private static void exportDense(RunSetup run, ChannelGraph graph, Path file) throws Exception {
        try (NDManager manager = NDManager.newBaseManager(run.device(), Engines.PYTORCH)) {
            ChannelMask every = ChannelMask.full(graph);
            CompactionResult compact =
                    Compactor.builder().setClassifier(CompactModels.CLASSIFIER).build()
                            .compact(manager, run.model().getBlock(), graph, every);
            MaskPlan plan =
                    MaskPlan.of(run.model().getName(), SweepRow.DENSE, new CostModel(graph),
                            new Budget(BudgetKind.FLOPS, 1.0), every);
            new TorchScriptExport(file, CompactModels.CLASSIFIER, 1e-4).export(compact, plan, graph.getInputShape());
        }
    }

    private static ChannelGraph graph(RunSetup run) {
        return ChannelGraph.builder()
                .setInputShape(run.splits().batchShape(1))
                .setClassifier(CompactModels.CLASSIFIER)
                .build(run.model().getBlock());
    }

    private Device device(RunSetup run) {
        return device == null ? run.device() : device.resolve(Engines.pytorch().getDevices());
    }

    private static String fmt(double value) {
        return String.format(java.util.Locale.ROOT, "%.3f", value);
    }
}
