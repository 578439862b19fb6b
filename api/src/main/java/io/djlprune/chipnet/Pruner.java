package io.djlprune.chipnet;

import ai.djl.ndarray.NDManager;
import ai.djl.training.Trainer;
import ai.djl.training.TrainingResult;
import ai.djl.training.dataset.Dataset;
import ai.djl.training.listener.TrainingListenerAdapter;
import ai.djl.translate.TranslateException;
import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import io.djlprune.checkpoint.Checkpointable;
import io.djlprune.compact.CompactModelExporter;
import io.djlprune.compact.CompactionResult;
import io.djlprune.compact.Compactor;
import io.djlprune.cost.Budget;
import io.djlprune.gate.GateSchedule;
import io.djlprune.gate.HeavisideProjection;
import io.djlprune.graph.ChannelMask;
import io.djlprune.mask.MaskPlan;
import io.djlprune.mask.MaskPlanJson;
import io.djlprune.mask.MaskSelector;
import io.djlprune.memory.NativeMemory;
import io.djlprune.training.ConsoleProgress;
import io.djlprune.training.Evaluation;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ChipNet {@link ai.djl.training.listener.TrainingListener}: each step it raises the soft-count steepness (and γ,
 * if the schedule anneals per step); after each epoch's validation it derives the hard {@link MaskPlan} at the budget,
 * measures validation accuracy **with the hard mask**, keeps the best plan and the weights that produced it (writing
 * the plan to disk at once, so a run that dies keeps its best), anneals β and γ, and goes back to soft gates. When
 * training ends (DJL signals it when the {@code Trainer} is closed) it restores the best weights and leaves the
 * network in hard-mask mode. Two options serve short runs, whose soft gates end part-open: kept channels may keep their
 * soft value z ({@link Builder#optKeepSoftScale}, folded into the weights at the end), and the last share of the steps
 * may train the weights under a mask fixed when that share begins ({@link Builder#optHardFinish}).
 *
 * <p>Add it after DJL's default listeners, with the {@link ChipNetLoss} as the training loss. It is {@link
 * Checkpointable}: a {@link io.djlprune.checkpoint.TrainingCheckpoint} saves its schedule position, history, best
 * epoch (with its weights) and hard-finish mask with every checkpoint, and a resumed run continues from them.
 */
public final class Pruner extends TrainingListenerAdapter implements Checkpointable {

    private static final Logger logger = LoggerFactory.getLogger(Pruner.class);
    private static final Gson GSON = new GsonBuilder().serializeSpecialFloatingPointValues().create();
    private static final String BEST_WEIGHTS = "pruner-best.params";

    private final GatedNetwork network;
    private final ChipNetLoss loss;
    private final Dataset validation;
    private final GateSchedule schedule;
    private final MaskSelector selector;
    private final String modelName;
    private final Path planFile;
    private final int totalEpochs;
    private final String accuracyName;
    private final Compactor compactor;
    private final CompactModelExporter exporter;
    private final boolean keepSoftScale;
    private final double hardFinish;

    private final List<PruningEpoch> history = new ArrayList<>();
    private int epoch;
    private int stepInEpoch;
    private int stepsPerEpoch;
    private long epochStart;
    private MaskPlan bestPlan;
    private HardChoice best;
    // Set when the hard finish begins: the mask every later step trains and validates with (its z already folded).
    private HardChoice frozen;
    private WeightSnapshot bestWeights;

    private Pruner(Builder builder) {
        this.network = builder.network;
        this.loss = builder.loss;
        this.validation = builder.validation;
        this.schedule = builder.schedule;
        this.selector = builder.selector;
        this.modelName = builder.modelName;
        this.planFile = builder.planFile;
        this.totalEpochs = builder.totalEpochs;
        this.stepsPerEpoch = builder.stepsPerEpoch;
        this.accuracyName = builder.accuracyName;
        this.compactor = builder.compactor;
        this.exporter = builder.exporter;
        this.keepSoftScale = builder.keepSoftScale;
        this.hardFinish = builder.hardFinish;
    }

    /**
     * Creates a builder.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /** {@inheritDoc} */
    @Override
    public void onTrainingBegin(Trainer trainer) {
        epoch = 0;
        stepInEpoch = 0;
        history.clear();
        frozen = null;
        bestPlan = null;
        best = null;
        closeSnapshot();
        network.useSoftGates();
        startEpoch();
    }

    /** {@inheritDoc} */
    @Override
    public void onTrainingBatch(Trainer trainer, BatchData batchData) {
        stepInEpoch++;
        if (stepsPerEpoch == 0) {
            // the first epoch's length is learned as it runs; until then the epoch's start value holds
            loss.setSteepness(schedule.steepnessAt(epoch));
            return;
        }
        int step = Math.min(stepInEpoch, stepsPerEpoch - 1);
        loss.setSteepness(schedule.steepnessAt(epoch, step, stepsPerEpoch));
        if (schedule.isGammaAnnealedPerStep()) {
            network.getController().setProjection(schedule.projectionAt(epoch, step, stepsPerEpoch));
        }
        if (frozen == null && hardFinish > 0 && (long) epoch * stepsPerEpoch + stepInEpoch >= hardFinishStart()) {
            beginHardFinish(trainer.getManager());
        }
    }

    /** The first step trained with the fixed hard mask: the last {@code hardFinish} share of all pruning steps. */
    private long hardFinishStart() {
        long total = (long) totalEpochs * stepsPerEpoch;
        return total - (long) Math.floor(hardFinish * total);
    }

    /**
     * Fixes the hard mask the soft gates choose now and trains the weights under it from the next step on (the
     * kept channels' z folded into the weights if they keep their soft scale), so the network the run ends with is
     * trained as the hard network it will be compacted to.
     */
    private void beginHardFinish(NDManager manager) {
        HardChoice choice = chooseHardMask(manager);
        makePermanent(choice);
        frozen = new HardChoice(choice.mask(), choice.psi(), null);
        logger.info(
                "Hard finish from epoch {} step {}: the weights train under the fixed mask, kept {}",
                epoch + 1, stepInEpoch, java.util.Arrays.toString(keptOfPrunable(choice.mask())));
    }

    /** The hard mask the soft gates choose now at the budget, with the ψ that ranked it and z if kept channels keep it. */
    private HardChoice chooseHardMask(NDManager manager) {
        float[][] psi = network.psi();
        checkFinite(psi);
        float[][] z = network.softGateValues(manager);
        ChannelMask mask = selector.select(network.getCostModel(), loss.getBudget(), psi, z);
        return new HardChoice(mask, psi, keepSoftScale ? positive(z) : null);
    }

    /** Switches the gates to the choice for good: its factors folded into the weights, the gates 0/1. */
    private void makePermanent(HardChoice choice) {
        if (choice.factors() != null) {
            network.foldHardMask(choice.mask(), choice.factors());
        } else {
            network.applyHardMask(choice.mask());
        }
    }

    /** {@inheritDoc} */
    @Override
    public void onEpoch(Trainer trainer) {
        if (stepsPerEpoch == 0) {
            stepsPerEpoch = stepInEpoch;
        }
        HeavisideProjection projection = network.getController().getProjection();
        NDManager manager = trainer.getManager();
        double softRatio;
        try (NDManager scope = manager.newSubManager()) {
            softRatio = loss.terms(scope).softRatio().getFloat();
        }
        // In the hard finish the gates already hold the fixed mask; otherwise the soft gates are switched off for the
        // validation only.
        HardChoice choice = frozen != null ? frozen : chooseHardMask(manager);
        if (frozen == null) {
            if (choice.factors() != null) {
                network.applyHardMask(choice.mask(), choice.factors());
            } else {
                network.applyHardMask(choice.mask());
            }
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
            if (frozen == null) {
                network.useSoftGates();
            }
        }
        TrainingResult result = trainer.getTrainingResult();
        Float softAccuracy = result.getValidateEvaluation(accuracyName);
        epoch++;
        PruningEpoch record =
                new PruningEpoch(
                        epoch, softRatio, hardRatio, softAccuracy == null ? Double.NaN : softAccuracy, hardAccuracy,
                        projection.beta(), projection.gamma(), keptOfPrunable(mask), (System.nanoTime() - epochStart) / 1e9,
                        NativeMemory.sample(manager));
        history.add(record);
        logger.info(record.toLine(totalEpochs));
        if (bestPlan == null || hardAccuracy > bestPlan.getValidationAccuracy()) {
            keepBest(trainer, choice, record);
        }
        startEpoch();
    }

    /**
     * Sets the projection and the soft-count steepness of the next epoch's first step. Both are set here rather than
     * by the batch hook: that hook sets the value of the step after the one that just ran and, at an epoch's last
     * step, only knows the epoch that is ending.
     */
    private void startEpoch() {
        network.getController().setProjection(projectionAtEpochStart());
        loss.setSteepness(stepsPerEpoch == 0 ? schedule.steepnessAt(epoch) : schedule.steepnessAt(epoch, 0, stepsPerEpoch));
        stepInEpoch = 0;
        epochStart = System.nanoTime();
    }

    /** {@inheritDoc} */
    @Override
    public void onTrainingEnd(Trainer trainer) {
        if (bestPlan == null) {
            logger.warn("Training ended before any pruning epoch completed; no plan was derived");
            return;
        }
        bestWeights.restore(trainer.getModel().getBlock());
        closeSnapshot();
        makePermanent(best);
        if (exporter != null) {
            export(trainer);
        }
        logger.info(
                "Best hard mask from epoch {}: validation accuracy {}, {} {} (target {})",
                bestPlan.getEpoch(),
                String.format("%.4f", bestPlan.getValidationAccuracy()),
                bestPlan.getBudget().kind().key(),
                String.format("%.4f", bestPlan.getAchievedRatio()),
                bestPlan.getBudget().target());
    }

    private void export(Trainer trainer) {
        try (NDManager scope = trainer.getManager().newSubManager()) {
            CompactionResult compact =
                    compactor.compact(scope, network.getDenseBlock(), network.getGraph(), best.mask());
            exporter.export(compact, bestPlan, network.getGraph().getInputShape());
        } catch (IOException e) {
            throw new UncheckedIOException("Exporting the pruned model failed", e);
        }
    }

    private void keepBest(Trainer trainer, HardChoice choice, PruningEpoch record) {
        best = choice;
        bestPlan =
                MaskPlan.of(modelName, "chipnet", network.getCostModel(), loss.getBudget(), choice.mask(), choice.psi())
                        .withTraining(record.epoch(), record.hardAccuracy(), record.beta(), record.gamma());
        closeSnapshot();
        bestWeights = WeightSnapshot.of(trainer.getModel().getBlock(), trainer.getManager());
        if (planFile != null) {
            try {
                MaskPlanJson.save(bestPlan, planFile);
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot write the best mask plan to " + planFile, e);
            }
        }
    }

    private HeavisideProjection projectionAtEpochStart() {
        if (schedule.isGammaAnnealedPerStep()) {
            if (stepsPerEpoch == 0) {
                throw new IllegalStateException(
                        "A schedule that anneals γ per step needs the steps per epoch: set Pruner.Builder.optStepsPerEpoch");
            }
            return schedule.projectionAt(epoch, 0, stepsPerEpoch);
        }
        return schedule.projectionAt(epoch);
    }

    /** z with exact zeros (an underflowed gate the selector still kept) raised to the smallest normal float. */
    private static float[][] positive(float[][] z) {
        float[][] out = new float[z.length][];
        for (int g = 0; g < z.length; g++) {
            if (z[g] != null) {
                out[g] = z[g].clone();
                for (int c = 0; c < out[g].length; c++) {
                    out[g][c] = Math.max(out[g][c], Float.MIN_NORMAL);
                }
            }
        }
        return out;
    }

    private int[] keptOfPrunable(ChannelMask mask) {
        return network.getGraph().prunableGroups().stream().mapToInt(g -> mask.keptCount(g.id())).toArray();
    }

    private void checkFinite(float[][] psi) {
        for (float[] values : psi) {
            if (values == null) {
                continue;
            }
            for (float v : values) {
                if (!Float.isFinite(v)) {
                    throw new IllegalStateException(
                            "ChipNet gates diverged (ψ is not finite) in epoch " + (epoch + 1) + "; the best plan so far"
                                    + (bestPlan == null ? " does not exist yet" : " (epoch " + bestPlan.getEpoch() + ")")
                                    + (planFile == null || bestPlan == null ? "" : " is at " + planFile));
                }
            }
        }
    }

    private static long batches(Dataset dataset) {
        if (dataset instanceof ai.djl.training.dataset.RandomAccessDataset random) {
            return Math.max(1, random.size());
        }
        return 1;
    }

    private void closeSnapshot() {
        if (bestWeights != null) {
            bestWeights.close();
            bestWeights = null;
        }
    }

    /** {@inheritDoc} */
    @Override
    public String checkpointName() {
        return "pruner";
    }

    /** {@inheritDoc} */
    @Override
    public JsonElement saveState(Path folder) throws IOException {
        JsonObject state = new JsonObject();
        state.addProperty("epoch", epoch);
        state.addProperty("stepsPerEpoch", stepsPerEpoch);
        state.add("history", GSON.toJsonTree(history));
        if (bestPlan != null) {
            state.addProperty("bestPlan", MaskPlanJson.toJson(bestPlan));
            state.add("best", GSON.toJsonTree(SavedChoice.of(best)));
            bestWeights.writeTo(folder.resolve(BEST_WEIGHTS));
        }
        if (frozen != null) {
            state.add("frozen", GSON.toJsonTree(SavedChoice.of(frozen)));
        }
        return state;
    }

    /**
     * {@inheritDoc}
     *
     * <p>The weights of the resumed model already hold what the hard finish folded into them, so a saved hard-finish
     * mask is applied as it is, without folding again.
     */
    @Override
    public void restoreState(JsonElement saved, Path folder, NDManager manager) throws IOException {
        try {
            JsonObject state = saved.getAsJsonObject();
            int savedSteps = state.get("stepsPerEpoch").getAsInt();
            if (stepsPerEpoch != 0 && savedSteps != stepsPerEpoch) {
                throw new IOException(
                        "The checkpoint's epochs have " + savedSteps + " steps but this run's have " + stepsPerEpoch
                                + ": the data or batch size changed");
            }
            stepsPerEpoch = savedSteps;
            epoch = state.get("epoch").getAsInt();
            history.clear();
            for (JsonElement record : state.getAsJsonArray("history")) {
                history.add(GSON.fromJson(record, PruningEpoch.class));
            }
            closeSnapshot();
            bestPlan = null;
            best = null;
            if (state.has("bestPlan")) {
                bestPlan = MaskPlanJson.fromJson(state.get("bestPlan").getAsString(), "checkpoint " + folder);
                best = GSON.fromJson(state.get("best"), SavedChoice.class).toChoice(network.getGraph());
                bestWeights = WeightSnapshot.readFrom(folder.resolve(BEST_WEIGHTS), manager);
            }
            frozen = null;
            if (state.has("frozen")) {
                frozen = GSON.fromJson(state.get("frozen"), SavedChoice.class).toChoice(network.getGraph());
                network.applyHardMask(frozen.mask());
            } else {
                network.useSoftGates();
            }
        } catch (JsonParseException | IllegalStateException | NullPointerException | UnsupportedOperationException e) {
            throw new IOException("The pruner's state in the checkpoint " + folder + " is corrupt: " + e.getMessage(), e);
        }
        startEpoch();
        logger.info("Resumed after pruning epoch {} of {}", epoch, totalEpochs);
    }

    /** A {@link HardChoice} as JSON holds it: the keep mask of every group, ψ and the factors. */
    private record SavedChoice(boolean[][] keep, float[][] psi, float[][] factors) {

        static SavedChoice of(HardChoice choice) {
            ChannelMask mask = choice.mask();
            boolean[][] keep = new boolean[mask.groupCount()][];
            for (int g = 0; g < keep.length; g++) {
                keep[g] = mask.keep(g);
            }
            return new SavedChoice(keep, choice.psi(), choice.factors());
        }

        HardChoice toChoice(io.djlprune.graph.ChannelGraph graph) {
            return new HardChoice(ChannelMask.of(graph, keep), psi, factors);
        }
    }

    /**
     * Returns every epoch's record so far.
     *
     * @return the history
     */
    public List<PruningEpoch> getHistory() {
        return Collections.unmodifiableList(history);
    }

    /**
     * Returns the best plan so far (after training: the result).
     *
     * @return the plan, or null before the first epoch ends
     */
    public MaskPlan getBestPlan() {
        return bestPlan;
    }

    /**
     * Returns the best hard mask so far.
     *
     * @return the mask, or null before the first epoch ends
     */
    public ChannelMask getBestMask() {
        return best == null ? null : best.mask();
    }

    /**
     * A hard mask as chosen after an epoch: the mask, the ψ that ranked it, and the kept channels' z when they keep
     * their soft scale (null: they pass at 1, or z is already folded into the weights).
     */
    private record HardChoice(ChannelMask mask, float[][] psi, float[][] factors) {}

    /** Configures a {@link Pruner}. */
    public static final class Builder {
        private GatedNetwork network;
        private ChipNetLoss loss;
        private Dataset validation;
        private GateSchedule schedule = GateSchedule.reference();
        private MaskSelector selector = MaskSelector.builder().build();
        private String modelName = "model";
        private Path planFile;
        private int totalEpochs;
        private int stepsPerEpoch;
        private String accuracyName = "Accuracy";
        private Compactor compactor;
        private CompactModelExporter exporter;
        private boolean keepSoftScale;
        private double hardFinish;

        Builder() {}

        /**
         * Sets the share of all pruning steps, at the end of the run, that trains the weights under a fixed hard mask
         * (default 0: soft gates to the end, as in the reference). When it begins the Pruner derives the hard mask as
         * after an epoch, switches the gates to it for good (folding the kept channels' z into the weights if {@link
         * #optKeepSoftScale} is set) and the remaining steps train the network it will be compacted to. A short run
         * whose soft gates end part-open everywhere otherwise hands the compactor a network that never ran without
         * the removed channels. During the finish the "soft" validation accuracy is that of the hard network too.
         * Needs {@link #setEpochs} and {@link #optStepsPerEpoch}.
         *
         * @param fraction in [0, 1)
         * @return this builder
         */
        public Builder optHardFinish(double fraction) {
            if (!(fraction >= 0 && fraction < 1)) {
                throw new IllegalArgumentException("The hard finish is a share of the pruning steps in [0, 1), got " + fraction);
            }
            this.hardFinish = fraction;
            return this;
        }

        /**
         * Sets whether the kept channels of the hard mask keep their soft gate value z (default false: they pass at 1,
         * as in the reference code). A short run ends with many gates part-open, and the layers after them were
         * trained on z-scaled channels (their BatchNorm statistics too); at 1 the hard network sees inputs up to
         * several times larger than in training. With z kept, the hard network is the soft one minus the removed
         * channels, and when training ends z is folded into the weights of the layers the gates follow (see {@link
         * GatedNetwork#foldHardMask}), so compaction and export need nothing new.
         *
         * @param keep whether kept channels keep z
         * @return this builder
         */
        public Builder optKeepSoftScale(boolean keep) {
            this.keepSoftScale = keep;
            return this;
        }

        /**
         * Exports the result when training ends: the best plan's weights and mask are compacted into a plain, smaller
         * block and handed to the exporter (e.g. engine-ops' verified TorchScript export).
         *
         * @param compactor the compactor (with the classifier the graph was built with)
         * @param exporter where the compacted model goes
         * @return this builder
         */
        public Builder optExport(Compactor compactor, CompactModelExporter exporter) {
            this.compactor = compactor;
            this.exporter = exporter;
            return this;
        }

        /**
         * Sets the gated network and the loss that trains it.
         *
         * @param network the gated network
         * @param loss its ChipNet loss
         * @return this builder
         */
        public Builder setNetwork(GatedNetwork network, ChipNetLoss loss) {
            this.network = network;
            this.loss = loss;
            return this;
        }

        /**
         * Sets the validation data the hard mask is evaluated on each epoch.
         *
         * @param validation the held-out data
         * @return this builder
         */
        public Builder setValidation(Dataset validation) {
            this.validation = validation;
            return this;
        }

        /**
         * Sets the number of epochs, for log lines.
         *
         * @param totalEpochs the epochs
         * @return this builder
         */
        public Builder setEpochs(int totalEpochs) {
            this.totalEpochs = totalEpochs;
            return this;
        }

        /**
         * Sets the β/γ/steepness schedule (default: the reference).
         *
         * @param schedule the schedule
         * @return this builder
         */
        public Builder optSchedule(GateSchedule schedule) {
            this.schedule = schedule;
            return this;
        }

        /**
         * Sets the selector that turns ψ into the hard mask (default: global ψ order, one channel minimum).
         *
         * @param selector the selector
         * @return this builder
         */
        public Builder optSelector(MaskSelector selector) {
            this.selector = selector;
            return this;
        }

        /**
         * Sets the model name recorded in plans.
         *
         * @param modelName the name
         * @return this builder
         */
        public Builder optModelName(String modelName) {
            this.modelName = modelName;
            return this;
        }

        /**
         * Writes the best plan to this file whenever it improves.
         *
         * @param planFile the JSON file
         * @return this builder
         */
        public Builder optPlanFile(Path planFile) {
            this.planFile = planFile;
            return this;
        }

        /**
         * Sets the training steps per epoch so the steepness rises smoothly from the first epoch (else it is learned
         * from the first epoch's length).
         *
         * @param stepsPerEpoch the steps
         * @return this builder
         */
        public Builder optStepsPerEpoch(int stepsPerEpoch) {
            this.stepsPerEpoch = stepsPerEpoch;
            return this;
        }

        /**
         * Sets the name of the accuracy evaluator in the training config (default "Accuracy").
         *
         * @param accuracyName the name
         * @return this builder
         */
        public Builder optAccuracyName(String accuracyName) {
            this.accuracyName = accuracyName;
            return this;
        }

        /**
         * Builds the listener.
         *
         * @return the pruner
         */
        public Pruner build() {
            if (network == null || loss == null || validation == null) {
                throw new IllegalArgumentException("A Pruner needs the gated network, its ChipNetLoss and validation data");
            }
            if (hardFinish > 0 && (totalEpochs < 1 || stepsPerEpoch < 1)) {
                throw new IllegalArgumentException(
                        "A hard finish is a share of all pruning steps: set Pruner.Builder.setEpochs and"
                                + " optStepsPerEpoch");
            }
            if ((compactor == null) != (exporter == null)) {
                throw new IllegalArgumentException("An export needs both a compactor and an exporter");
            }
            return new Pruner(this);
        }
    }
}
