package io.djlprune.cli;

import ai.djl.Device;
import ai.djl.ndarray.types.Shape;
import io.djlprune.cost.Budget;
import io.djlprune.engine.Latency;
import io.djlprune.engine.LatencyProbe;
import io.djlprune.export.ExportReport;
import io.djlprune.zoo.model.ModelCatalog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code djl-prune sweep}: every method at every budget on one model with one recipe, each cell a complete
 * {@code prune} run in its own folder. A dense model is trained once, shared, and exported as a {@code .pt} the way the
 * cells are; every {@code model.pt} is timed once (its {@code latency.json}). The sweep is summarised as
 * {@code results.csv}, {@code results.md} ({@link SweepTable}) and two PNG plots ({@link SweepPlots}). An interrupted
 * sweep resumes: finished cells (folders with a report) are not redone, timed ones are not timed again, and a cell
 * (or the dense training) killed mid-run continues from its last complete epoch.
 */
@Command(
        name = "sweep",
        mixinStandardHelpOptions = true,
        description =
                "Run every method at every budget on one model; time every exported .pt against the dense one; write"
                        + " results.csv, results.md, accuracy-vs-flops.png and latency-vs-flops.png; resumable.")
final class SweepCommand implements Callable<Integer> {

    private static final Logger logger = LoggerFactory.getLogger(SweepCommand.class);

    @CommandLine.Spec private CommandLine.Model.CommandSpec spec;

    @Option(names = "--model", description = "The catalog model (required unless --merge).")
    String model;

    @Option(
            names = "--shard",
            paramLabel = "I/N",
            description = "Run only the I-th of N disjoint shares of the cells (I from 0); with N alone, I comes from"
                    + " JOB_COMPLETION_INDEX, so every pod of a Kubernetes Indexed Job runs the same command. Each share"
                    + " trains the dense model itself; --merge builds the tables from the shares' folders.")
    String shard;

    @Option(
            names = "--merge",
            arity = "1..*",
            paramLabel = "DIR",
            description = "Build the tables and plots into --output from the folders of a sharded sweep's shares (give"
                    + " the sweep's --methods and --budgets); nothing is trained or timed.")
    List<Path> merge;

    @Option(
            names = "--methods",
            split = ",",
            converter = OptionConverters.Method.class,
            description = "Methods (default: ${DEFAULT-VALUE}).")
    List<MethodChoice> methods = List.of(MethodChoice.values());

    @Option(
            names = "--budgets",
            split = ",",
            paramLabel = "KIND=TARGET",
            description = "Budgets; latency=R budgets share a latency table measured on --device at --latency-batch,"
                    + " kept in the sweep folder (docs/LATENCY.md) (default: ${DEFAULT-VALUE}).")
    List<String> budgets =
            List.of("flops=0.5", "flops=0.25", "flops=0.1", "flops=0.05", "params=0.5", "params=0.25", "params=0.1",
                    "params=0.05");

    @Option(names = "--pretrain-epochs", description = "Epochs of the shared dense model (default: ${DEFAULT-VALUE}).")
    int pretrainEpochs = 3;

    @Option(
            names = "--latency-batch",
            paramLabel = "N",
            description = "Batch size of the latency timing of every model.pt (default: ${DEFAULT-VALUE}).")
    int latencyBatch = 64;

    @Option(
            names = "--latency-repeats",
            paramLabel = "N",
            description =
                    "Timed forwards per model.pt after a warm-up; the median is reported (default: ${DEFAULT-VALUE}).")
    int latencyRepeats = LatencyProbe.DEFAULT_REPEATS;

    @Option(names = "--output", required = true, paramLabel = "DIR", description = "The sweep folder.")
    Path output;

    @Mixin DeviceOption device;

    @Mixin DataOptions data;

    @Mixin PruningOptions pruning;

    @Mixin FineTuningOptions fineTuning;

    /** {@inheritDoc} */
    @Override
    public Integer call() throws Exception {
        SweepShard share = checkArguments();
        Device runDevice = device.resolve(spec);
        if (merge != null) {
            SweepMerge.write(merge, output, methods.stream().map(MethodChoice::key).toList(), budgets, runDevice);
            return 0;
        }
        Files.createDirectories(output);
        Path denseDir = output.resolve(SweepRow.DENSE);
        if (!Files.isRegularFile(denseDir.resolve(DenseTorchScript.TRAIN_REPORT_FILE))) {
            logger.info("Training the shared dense {} for {} epochs", model, pretrainEpochs);
            cells().trainDense(denseDir);
        }
        TrainReport train = DenseTorchScript.readTrainReport(denseDir);
        ExportReport denseExport = DenseTorchScript.exportOnce(denseDir, runDevice);
        Shape batch = new Shape(latencyBatch).addAll(new Shape(train.inputShape()));
        SweepLatency timing = new SweepLatency(runDevice, batch, LatencyProbe.DEFAULT_WARMUP, latencyRepeats);
        SweepRow dense = SweepRow.dense(train, denseExport, timing.measureOnce(denseDir));
        logger.info("dense {}: {} ms per batch of {} (.pt)", model, ms(dense.latency()), latencyBatch);

        int total = methods.size() * budgets.size();
        int cell = 0;
        if (share.count() > 1) {
            logger.info("shard {}: cells k with k mod {} = {}", share, share.count(), share.index());
        }
        List<String> failed = new ArrayList<>();
        List<SweepRow> cells = new ArrayList<>();
        for (String budget : budgets) {
            for (MethodChoice method : methods) {
                cell++;
                if (!share.contains(cell - 1)) {
                    continue;
                }
                Path dir = output.resolve(cellName(method, budget));
                Path report = dir.resolve(PruneCommand.REPORT_FILE);
                if (Files.isRegularFile(report)) {
                    logger.info("cell {}/{}: {} {} already done", cell, total, method, budget);
                } else {
                    logger.info("cell {}/{}: {} at {}", cell, total, method, budget);
                    try {
                        cells().run(method, budget, denseDir, dir);
                    } catch (Exception e) {
                        // the other cells still run; the sweep fails at the end, naming this one and why
                        logger.error("cell {}/{}: {} at {} failed", cell, total, method, budget, e);
                        failed.add(method + " " + budget + " (" + e.getMessage() + ")");
                    }
                }
                if (!Files.isRegularFile(report)) {
                    cells.add(SweepRow.notRun(method.key(), budget));
                    continue;
                }
                Latency latency = null;
                if (Files.isRegularFile(dir.resolve(PruneCommand.MODEL_FILE))) {
                    latency = timing.measureOnce(dir);
                    logger.info("cell {}/{}: {} ms per batch of {}, {} × dense", cell, total, ms(latency), latencyBatch,
                            String.format(Locale.ROOT, "%.3f", latency.medianMs() / dense.latency().medianMs()));
                }
                cells.add(SweepRow.cell(method.key(), budget, report, latency));
            }
        }
        SweepTable.write(output, dense, cells);
        SweepPlots.write(output, dense, cells);
        logger.info("Sweep results: {}, {}, {}", output.resolve(SweepTable.MARKDOWN_FILE),
                output.resolve(SweepPlots.ACCURACY_FILE), output.resolve(SweepPlots.LATENCY_FILE));
        if (!failed.isEmpty()) {
            throw new IllegalStateException(
                    failed.size() + " cell(s) failed: " + String.join(", ", failed)
                            + "; rerun the sweep to retry the ones that left no report");
        }
        return 0;
    }

    /**
     * The runs this sweep makes with its options.
     *
     * @return its dense model's and its cells' runs
     */
    SweepCells cells() {
        return new SweepCells(this, spec);
    }

    private SweepShard checkArguments() {
        if (merge != null) {
            if (shard != null) {
                throw usage("--merge builds tables from shards; it takes no --shard");
            }
            if (budgets.isEmpty() || methods.isEmpty()) {
                throw usage("--methods and --budgets need at least one entry each");
            }
            return SweepShard.ALL;
        }
        if (model == null) {
            throw usage("Missing required option: '--model=<model>'");
        }
        SweepShard share;
        try {
            share = shard == null ? SweepShard.ALL : SweepShard.parse(shard, System.getenv());
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage());
        }
        if (pretrainEpochs < 1) {
            throw usage("--pretrain-epochs must be ≥ 1, got " + pretrainEpochs);
        }
        if (latencyBatch < 1) {
            throw usage("--latency-batch must be ≥ 1, got " + latencyBatch);
        }
        if (latencyRepeats < 1) {
            throw usage("--latency-repeats must be ≥ 1, got " + latencyRepeats);
        }
        if (budgets.isEmpty() || methods.isEmpty()) {
            throw usage("--methods and --budgets need at least one entry each");
        }
        for (String budget : budgets) {
            try {
                Budget.parse(budget);
            } catch (IllegalArgumentException e) {
                throw usage(e.getMessage());
            }
        }
        // the cells' options, as prune checks its own, and each method against them (e.g. --order share needs gates)
        pruning.applyRecipe(spec);
        data.check(spec);
        data.requireTest(spec);
        pruning.check(spec);
        fineTuning.fineTuning(spec);
        try {
            ModelCatalog.get(model);
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage());
        }
        for (MethodChoice method : methods) {
            pruning.order(method, spec);
        }
        return share;
    }

    static String cellName(MethodChoice method, String budget) {
        return cellName(method.key(), budget);
    }

    static String cellName(String method, String budget) {
        return (method + "-" + budget.replace('=', '-')).toLowerCase(Locale.ROOT);
    }

    private static String ms(Latency latency) {
        return String.format(Locale.ROOT, "%.3f", latency.medianMs());
    }

    private CommandLine.ParameterException usage(String message) {
        return new CommandLine.ParameterException(spec.commandLine(), message);
    }
}
