package io.djlprune.pipeline;

import ai.djl.Model;
import ai.djl.training.listener.TrainingListener;
import io.djlprune.checkpoint.PhaseCheckpoints;
import io.djlprune.compact.CompactModelExporter;
import io.djlprune.data.DataSplits;
import io.djlprune.ops.DjlOpClassifier;
import io.djlprune.ops.OpClassifier;
import java.util.ArrayList;
import java.util.List;

/**
 * What every job of this package is configured with, in DJL's base-builder style ({@code T} is the concrete builder,
 * so the setters chain): the trained model, its data, the fine-tuning that ends the job, the op classifier, the
 * exporters, extra training listeners and the checkpoints of the job's training phases.
 *
 * @param <T> the concrete builder
 */
public abstract class JobBuilder<T extends JobBuilder<T>> {

    Model dense;
    DataSplits data;
    int batchSize;
    FineTuning fineTuning;
    OpClassifier classifier = DjlOpClassifier.newInstance();
    final List<CompactModelExporter> exporters = new ArrayList<>();
    final List<TrainingListener> listeners = new ArrayList<>();
    PhaseCheckpoints checkpoints = PhaseCheckpoints.none();

    JobBuilder(FineTuning defaultFineTuning) {
        this.fineTuning = defaultFineTuning;
    }

    /**
     * Returns this builder as its concrete type.
     *
     * @return this builder
     */
    protected abstract T self();

    /**
     * Sets the trained model; its block must be set and initialised. The job trains it further where it trains, and
     * leaves it holding the weights it worked on (the job's class says which).
     *
     * @param dense the model
     * @return this builder
     */
    public T setModel(Model dense) {
        this.dense = dense;
        return self();
    }

    /**
     * Sets the data and the batch size its datasets were built with.
     *
     * @param data training, validation (model selection) and test (reported once) data
     * @param batchSize the datasets' batch size
     * @return this builder
     */
    public T setData(DataSplits data, int batchSize) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("The batch size must be ≥ 1, got " + batchSize);
        }
        this.data = data;
        this.batchSize = batchSize;
        return self();
    }

    /**
     * Sets the fine-tuning that ends the job (the default is the job's; {@link FineTuning#NONE} for none).
     *
     * @param fineTuning the fine-tuning
     * @return this builder
     */
    public T optFineTuning(FineTuning fineTuning) {
        this.fineTuning = requireNonNull(fineTuning, "fine-tuning");
        return self();
    }

    /**
     * Sets the classifier that maps blocks to ops for the channel graph, compaction and export (default DJL's blocks).
     *
     * @param classifier the classifier
     * @return this builder
     */
    public T optClassifier(OpClassifier classifier) {
        this.classifier = requireNonNull(classifier, "op classifier");
        return self();
    }

    /**
     * Adds an exporter of the job's final network (e.g. engine-ops' {@code TorchScriptExport}).
     *
     * @param exporter the exporter
     * @return this builder
     */
    public T addExporter(CompactModelExporter exporter) {
        exporters.add(requireNonNull(exporter, "exporter"));
        return self();
    }

    /**
     * Adds training listeners to every training phase of the job.
     *
     * @param listeners the listeners
     * @return this builder
     */
    public T addTrainingListeners(TrainingListener... listeners) {
        for (TrainingListener listener : listeners) {
            this.listeners.add(requireNonNull(listener, "training listener"));
        }
        return self();
    }

    /**
     * Sets where the job's training phases keep their checkpoints (default: none).
     *
     * @param checkpoints the checkpoints
     * @return this builder
     */
    public T optCheckpoints(PhaseCheckpoints checkpoints) {
        this.checkpoints = requireNonNull(checkpoints, "checkpoints");
        return self();
    }

    static <V> V requireNonNull(V value, String what) {
        if (value == null) {
            throw new IllegalArgumentException("The " + what + " must not be null");
        }
        return value;
    }
}
