package io.djlprune.chipnet;

import ai.djl.ndarray.NDManager;
import ai.djl.training.Trainer;
import ai.djl.training.TrainingResult;
import ai.djl.training.dataset.Dataset;
import ai.djl.training.dataset.RandomAccessDataset;
import ai.djl.translate.TranslateException;
import io.djlprune.cost.Budget;
import io.djlprune.gate.HeavisideProjection;
import io.djlprune.graph.ChannelMask;
import io.djlprune.memory.NativeMemory;
import io.djlprune.training.ConsoleProgress;
import io.djlprune.training.Evaluation;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The hard-mask validation at each epoch's end: it chooses the hard mask at the budget from the soft gates (or takes
 * the one the hard finish fixed), measures validation accuracy with it, and records and logs the epoch as a {@link
 * PruningEpoch}. What ChipNet reports and selects by is this accuracy, not the soft gates' one DJL measures.
 */
final class HardMaskValidation {

    // Logged under the Pruner's name: the user added the Pruner, and the log lines stay as they were before the split.
    private static final Logger logger = LoggerFactory.getLogger(Pruner.class);

    private final GatedNetwork network;
    private final ChipNetLoss loss;
    private final Dataset validation;
    private final String accuracyName;
    private final HardMaskSelection selection;
    private final PruningPosition position;
    private final List<PruningEpoch> history = new ArrayList<>();

    /**
     * What one epoch's validation chose and measured.
     *
     * @param choice the hard mask validated
     * @param record the epoch's record
     */
    record Result(HardChoice choice, PruningEpoch record) {}

    /**
     * Creates the validation step.
     *
     * @param network the gated network
     * @param loss its loss, for the soft cost ratio and the budget
     * @param validation the held-out data
     * @param accuracyName the name of the accuracy evaluator DJL validated the soft gates with
     * @param selection chooses the hard mask
     * @param position the run's position; the epoch ending is {@code position.epoch() + 1}
     */
    HardMaskValidation(
            GatedNetwork network,
            ChipNetLoss loss,
            Dataset validation,
            String accuracyName,
            HardMaskSelection selection,
            PruningPosition position) {
        this.network = network;
        this.loss = loss;
        this.validation = validation;
        this.accuracyName = accuracyName;
        this.selection = selection;
        this.position = position;
    }

    /**
     * Validates the epoch that just ended under its hard mask, records it and logs it.
     *
     * @param trainer the trainer, after DJL's validation of the epoch
     * @param fixed the mask the hard finish fixed, or null to choose one from the soft gates
     * @return the mask validated and the epoch's record
     * @throws UncheckedIOException if the validation data cannot be read
     * @throws IllegalStateException if the gates diverged or the data pipeline failed
     */
    Result validate(Trainer trainer, HardChoice fixed) {
        HeavisideProjection projection = network.getController().getProjection();
        NDManager manager = trainer.getManager();
        double softRatio;
        try (NDManager scope = manager.newSubManager()) {
            softRatio = loss.terms(scope).softRatio().getFloat();
        }
        // In the hard finish the gates already hold the fixed mask; otherwise the soft gates are switched off for the
        // validation only.
        HardChoice choice = fixed != null ? fixed : selection.choose(manager);
        if (fixed == null) {
            choice.apply(network);
        }
        ChannelMask mask = choice.mask();
        Budget budget = loss.getBudget();
        double hardRatio = network.getCostModel().ratio(budget.kind(), mask);
        double hardAccuracy;
        try {
            ConsoleProgress bar = new ConsoleProgress("Hard mask", batches(validation));
            hardAccuracy = Evaluation.accuracy(trainer.getModel().getBlock(), validation, manager, bar);
        } catch (IOException e) {
            throw new UncheckedIOException("Hard-mask validation could not read its data", e);
        } catch (TranslateException e) {
            throw new IllegalStateException("Hard-mask validation failed in the data pipeline", e);
        } finally {
            if (fixed == null) {
                network.useSoftGates();
            }
        }
        TrainingResult result = trainer.getTrainingResult();
        Float softAccuracy = result.getValidateEvaluation(accuracyName);
        PruningEpoch record =
                new PruningEpoch(
                        position.epoch() + 1, softRatio, hardRatio, softAccuracy == null ? Double.NaN : softAccuracy,
                        hardAccuracy, projection.beta(), projection.gamma(), choice.keptOfPrunable(network.getGraph()),
                        position.secondsInEpoch(), NativeMemory.sample(manager));
        history.add(record);
        logger.info(record.toLine(position.totalEpochs()));
        return new Result(choice, record);
    }

    /**
     * Returns every epoch's record so far.
     *
     * @return the history, read-only
     */
    List<PruningEpoch> history() {
        return Collections.unmodifiableList(history);
    }

    /**
     * Replaces the history, e.g. with a checkpoint's.
     *
     * @param records the records, oldest first; empty to start over
     */
    void restoreHistory(List<PruningEpoch> records) {
        history.clear();
        history.addAll(records);
    }

    private static long batches(Dataset dataset) {
        if (dataset instanceof RandomAccessDataset random) {
            return Math.max(1, random.size());
        }
        return 1;
    }
}
