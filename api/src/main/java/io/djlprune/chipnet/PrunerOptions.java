package io.djlprune.chipnet;

import ai.djl.training.dataset.Dataset;
import io.djlprune.compact.CompactModelExporter;
import io.djlprune.compact.Compactor;
import io.djlprune.gate.GateSchedule;
import io.djlprune.mask.MaskSelector;
import java.nio.file.Path;

/**
 * The settings of a {@link Pruner}, with their checks: the body of {@link Pruner.Builder}, its one subclass, which
 * users see these methods on. They live in a file of their own so that the Pruner's file holds the listener; the
 * Pruner's constructor reads the fields when it assembles its parts.
 */
abstract sealed class PrunerOptions permits Pruner.Builder {

    // Read by the Pruner's constructor; set only through the methods below, which check them.
    GatedNetwork network;
    ChipNetLoss loss;
    Dataset validation;
    GateSchedule schedule = GateSchedule.reference();
    MaskSelector selector = MaskSelector.builder().build();
    String modelName = "model";
    Path planFile;
    int totalEpochs;
    int stepsPerEpoch;
    String accuracyName = "Accuracy";
    Compactor compactor;
    CompactModelExporter exporter;
    boolean keepSoftScale;
    double hardFinish;

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
    public Pruner.Builder optHardFinish(double fraction) {
        if (!(fraction >= 0 && fraction < 1)) {
            throw new IllegalArgumentException(
                    "The hard finish is a share of the pruning steps in [0, 1), got " + fraction);
        }
        this.hardFinish = fraction;
        return self();
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
    public Pruner.Builder optKeepSoftScale(boolean keep) {
        this.keepSoftScale = keep;
        return self();
    }

    /**
     * Exports the result when training ends: the best plan's weights and mask are compacted into a plain, smaller
     * block and handed to the exporter (e.g. engine-ops' verified TorchScript export).
     *
     * @param compactor the compactor (with the classifier the graph was built with)
     * @param exporter where the compacted model goes
     * @return this builder
     */
    public Pruner.Builder optExport(Compactor compactor, CompactModelExporter exporter) {
        this.compactor = compactor;
        this.exporter = exporter;
        return self();
    }

    /**
     * Sets the gated network and the loss that trains it.
     *
     * @param network the gated network
     * @param loss its ChipNet loss
     * @return this builder
     */
    public Pruner.Builder setNetwork(GatedNetwork network, ChipNetLoss loss) {
        this.network = network;
        this.loss = loss;
        return self();
    }

    /**
     * Sets the validation data the hard mask is evaluated on each epoch.
     *
     * @param validation the held-out data
     * @return this builder
     */
    public Pruner.Builder setValidation(Dataset validation) {
        this.validation = validation;
        return self();
    }

    /**
     * Sets the number of epochs, for log lines.
     *
     * @param totalEpochs the epochs
     * @return this builder
     */
    public Pruner.Builder setEpochs(int totalEpochs) {
        this.totalEpochs = totalEpochs;
        return self();
    }

    /**
     * Sets the β/γ/steepness schedule (default: the reference).
     *
     * @param schedule the schedule
     * @return this builder
     */
    public Pruner.Builder optSchedule(GateSchedule schedule) {
        this.schedule = schedule;
        return self();
    }

    /**
     * Sets the selector that turns ψ into the hard mask (default: global ψ order, one channel minimum).
     *
     * @param selector the selector
     * @return this builder
     */
    public Pruner.Builder optSelector(MaskSelector selector) {
        this.selector = selector;
        return self();
    }

    /**
     * Sets the model name recorded in plans.
     *
     * @param modelName the name
     * @return this builder
     */
    public Pruner.Builder optModelName(String modelName) {
        this.modelName = modelName;
        return self();
    }

    /**
     * Writes the best plan to this file whenever it improves.
     *
     * @param planFile the JSON file
     * @return this builder
     */
    public Pruner.Builder optPlanFile(Path planFile) {
        this.planFile = planFile;
        return self();
    }

    /**
     * Sets the training steps per epoch so the steepness rises smoothly from the first epoch (else it is learned
     * from the first epoch's length).
     *
     * @param stepsPerEpoch the steps
     * @return this builder
     */
    public Pruner.Builder optStepsPerEpoch(int stepsPerEpoch) {
        this.stepsPerEpoch = stepsPerEpoch;
        return self();
    }

    /**
     * Sets the name of the accuracy evaluator in the training config (default "Accuracy").
     *
     * @param accuracyName the name
     * @return this builder
     */
    public Pruner.Builder optAccuracyName(String accuracyName) {
        this.accuracyName = accuracyName;
        return self();
    }

    /**
     * Checks that the settings make a Pruner.
     *
     * @throws IllegalArgumentException if the network, loss or validation data is missing, a hard finish lacks the
     *     run length, or an export lacks its compactor or exporter
     */
    void check() {
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
    }

    // Sealed to Pruner.Builder, so this cast cannot fail; the setters return the type users declare.
    private Pruner.Builder self() {
        return (Pruner.Builder) this;
    }
}
