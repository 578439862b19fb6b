package io.djlprune.cli;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.translate.TranslateException;
import io.djlprune.data.DataSplits;
import io.djlprune.engine.DeviceChoice;
import io.djlprune.engine.Engines;
import io.djlprune.io.StagedDirectory;
import io.djlprune.zoo.model.ModelCatalog;
import java.io.IOException;
import java.nio.file.Path;

/**
 * What every training command sets up the same way before its own work, and closes after it: the output folder,
 * staged so that nothing replaces the old one unless the run commits; the PyTorch engine, seeded with {@code --seed};
 * the device; a base manager; an empty model on that device; and the data splits. Closing closes them in reverse order
 * (an uncommitted staging folder is discarded).
 */
final class RunSetup implements AutoCloseable {

    private StagedDirectory out;
    private Engine engine;
    private Device device;
    private NDManager manager;
    private Model model;
    private DataSplits splits;

    private RunSetup() {}

    /**
     * Opens a run.
     *
     * @param target the output folder
     * @param overwrite whether an existing, non-empty output folder may be replaced
     * @param deviceChoice the device the user chose, resolved against the engine's devices
     * @param data the data options (folder, seed, limit, augmentation)
     * @param batchSize the batch size of the data
     * @param modelName the model's name
     * @return the opened run
     * @throws IOException if the output folder cannot be staged or the data cannot be read
     */
    static RunSetup open(
            Path target, boolean overwrite, DeviceChoice deviceChoice, DataOptions data, int batchSize, String modelName)
            throws IOException {
        RunSetup run = new RunSetup();
        try {
            run.out = StagedDirectory.create(target, overwrite);
            run.engine = Engines.pytorch();
            run.device = deviceChoice.resolve(run.engine.getDevices());
            run.engine.setRandomSeed((int) data.seed);
            run.manager = NDManager.newBaseManager(run.device);
            run.model = Model.newInstance(modelName, run.device, Engines.PYTORCH);
            run.splits = data.load(run.manager, batchSize);
            return run;
        } catch (IOException | RuntimeException | Error e) {
            try {
                run.close();
            } catch (RuntimeException closing) {
                e.addSuppressed(closing);
            }
            throw e;
        }
    }

    /**
     * Gives the model a fresh catalog block for the data's class count.
     *
     * @param entry the catalog model
     * @return this run
     */
    RunSetup withCatalogBlock(ModelCatalog.Entry entry) {
        entry.checkInput(splits.sampleShape());
        model.setBlock(entry.factory().apply(splits.classes()));
        return this;
    }

    /**
     * Gives the model a block imported from a PyTorch state_dict, checked against the data's class count.
     *
     * @param entry the catalog model, a torchvision architecture
     * @param weights the state_dict file
     * @return this run
     * @throws IOException if the file cannot be read or does not fit the architecture
     */
    RunSetup withImportedBlock(ModelCatalog.Entry entry, Path weights) throws IOException {
        entry.checkInput(splits.sampleShape());
        model.setBlock(WeightsOption.load(entry.name(), weights, splits, model.getNDManager()));
        return this;
    }

    /**
     * Loads the dense weights from {@code pretrained} (or from the checkpoint of an earlier attempt of this run), or
     * trains the catalog block for {@code epochs} and checkpoints it, so a resumed run does not train it again.
     *
     * @param pretrained the output folder of {@code train} to load, or null
     * @param epochs dense epochs when there is nothing to load
     * @param batchSize the batch size
     * @param checkpoints the run's checkpoints
     * @throws IOException if the weights or data cannot be read, or the checkpoint cannot be written
     * @throws MalformedModelException if the saved weights do not fit the model
     * @throws TranslateException if the data pipeline fails
     */
    void loadOrPretrain(Path pretrained, int epochs, int batchSize, RunCheckpoints checkpoints)
            throws IOException, MalformedModelException, TranslateException {
        Path source = pretrained != null ? pretrained : checkpoints.pretrained();
        DenseTraining.loadOrPretrain(model, splits, source, epochs, batchSize, device);
        if (source == null && epochs > 0) {
            checkpoints.savePretrained(model);
        }
    }

    StagedDirectory out() {
        return out;
    }

    Engine engine() {
        return engine;
    }

    Device device() {
        return device;
    }

    NDManager manager() {
        return manager;
    }

    Model model() {
        return model;
    }

    DataSplits splits() {
        return splits;
    }

    /** {@inheritDoc} */
    @Override
    public void close() {
        // reverse order of opening; each is closed even if an earlier close fails
        try {
            if (model != null) {
                model.close();
            }
        } finally {
            try {
                if (manager != null) {
                    manager.close();
                }
            } finally {
                if (out != null) {
                    out.close();
                }
            }
        }
    }
}
