package io.djlprune.cli;

import io.djlprune.cost.Budget;
import io.djlprune.zoo.model.ModelCatalog;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import picocli.CommandLine.Model.CommandSpec;

/**
 * The runs a sweep makes in its own process, from its options: its shared dense model (a {@link TrainRun}) and each
 * cell (a {@link PruneRun} with prune's option set, the cell's method and budget). Each resumes from its last complete
 * epoch, and refuses to if the options that decide it changed.
 */
final class SweepCells {

    /** Pruning epochs of every cell when --epochs is not given: a sweep runs many cells. */
    static final int DEFAULT_EPOCHS = 3;

    /** The options of {@link DataOptions}, which the shared dense model's training uses. */
    private static final Set<String> DATA_OPTIONS = Set.of("--data-dir", "--batch-size", "--seed", "--augment", "--limit");

    /** The sweep's own options, which do not reach its cells. */
    private static final Set<String> SWEEP_ONLY =
            Set.of("--methods", "--budgets", "--shard", "--merge", "--latency-batch", "--latency-repeats", "--output",
                    "--pretrain-epochs");

    private final SweepCommand sweep;
    private final CommandSpec spec;

    SweepCells(SweepCommand sweep, CommandSpec spec) {
        this.sweep = sweep;
        this.spec = spec;
    }

    /**
     * Trains the shared dense model (with train's defaults, the sweep's data options and --pretrain-epochs).
     *
     * @param denseDir its folder
     * @throws Exception if training fails
     */
    void trainDense(Path denseDir) throws Exception {
        RunCheckpoints checkpoints = RunCheckpoints.of(spec, denseSettings(), denseDir, true, true);
        new TrainRun(ModelCatalog.get(sweep.model), sweep.pretrainEpochs, new OptimizerOptions())
                .run(denseDir, true, checkpoints, sweep.device.choice(spec), sweep.data);
    }

    /**
     * The prune run of one cell: the sweep's shared options, with the cell's method and budget.
     *
     * @param method the cell's method
     * @param budget the cell's budget
     * @return the run
     */
    PruneRun cellRun(MethodChoice method, String budget) {
        PruningOptions pruning = sweep.pruning;
        Budget target = Budget.parse(budget);
        return new PruneRun(
                ModelCatalog.get(sweep.model),
                target,
                pruning.method(method, null),
                pruning.order(method, spec),
                pruning.recipe(DEFAULT_EPOCHS),
                pruning.roundTo(target, spec),
                sweep.fineTuning.fineTuning(spec),
                null,
                List.of(ExportFormat.TORCHSCRIPT),
                new LatencyBudget(null, sweep.latencyBatch, sweep.output.resolve(LatencyBudget.SWEEP_TABLE),
                        LatencyBudget.DEFAULT_ROUNDS));
    }

    /**
     * Runs a cell from the shared dense model.
     *
     * @param method the cell's method
     * @param budget the cell's budget
     * @param denseDir the shared dense model's folder
     * @param dir the cell's folder
     * @throws Exception if the cell fails (its folder is then not created)
     */
    void run(MethodChoice method, String budget, Path denseDir, Path dir) throws Exception {
        RunCheckpoints checkpoints = RunCheckpoints.of(spec, cellSettings(method, budget), dir, true, true);
        DataOptions data = sweep.data;
        cellRun(method, budget)
                .run(dir, true, checkpoints, sweep.device.choice(spec), data,
                        sweep.pruning.batchSize(method, spec, data.batchSize), denseDir, null, 0);
    }

    /**
     * What a cell's resume must repeat: the sweep's options that reach the cell, and its method and budget (not the
     * sweep's lists, so a sweep resumed with more methods or budgets still resumes its cells).
     *
     * @param method the cell's method
     * @param budget the cell's budget
     * @return option → value
     */
    Map<String, String> cellSettings(MethodChoice method, String budget) {
        Map<String, String> settings = RunCheckpoints.settings(spec);
        settings.keySet().removeAll(SWEEP_ONLY);
        settings.put("--method", method.key());
        settings.put("--budget", budget);
        return settings;
    }

    /** What the shared dense model's resume must repeat: the model, its epochs and the data options. */
    private Map<String, String> denseSettings() {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("--model", sweep.model);
        settings.put("--epochs", String.valueOf(sweep.pretrainEpochs));
        RunCheckpoints.settings(spec).forEach((option, value) -> {
            if (DATA_OPTIONS.contains(option)) {
                settings.put(option, value);
            }
        });
        return settings;
    }
}
