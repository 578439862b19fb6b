package io.djlprune.zoo.provider;

import ai.djl.Application;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Block;
import ai.djl.repository.Artifact;
import ai.djl.repository.MRL;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ModelLoader;
import ai.djl.repository.zoo.ModelNotFoundException;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.translate.DefaultTranslatorFactory;
import ai.djl.translate.TranslateException;
import ai.djl.translate.Translator;
import ai.djl.translate.TranslatorFactory;
import ai.djl.util.Progress;
import io.djlprune.zoo.model.ModelCatalog;
import java.io.IOException;
import java.util.Map;
import java.util.Set;

/**
 * Loads one catalog model for DJL's {@link Criteria}: builds the network for the requested class count, initialises
 * it for the requested input shape, and wraps it with the translator DJL would choose.
 *
 * <p>Why not DJL's {@code BaseModelLoader}, which {@code ai.djl.basicmodelzoo} uses: it always resolves an artifact to
 * a directory (downloading it from a remote repository, or reading a local one) and then calls
 * {@code Model.load(directory)}, which reads the trained parameters from a {@code .params} file. Its
 * {@code blockFactory} argument builds the block from code, but the directory and the parameter file are still
 * required, and the block is never initialised. A freshly built djl-prune model has no files at all, so this loader
 * builds and initialises the block itself: nothing is downloaded, read or written.
 */
final class CatalogModelLoader implements ModelLoader {

    private final MRL mrl;

    CatalogModelLoader(MRL mrl) {
        this.mrl = mrl;
    }

    /** {@inheritDoc} */
    @Override
    public String getGroupId() {
        return mrl.getGroupId();
    }

    /** {@inheritDoc} */
    @Override
    public String getArtifactId() {
        return mrl.getArtifactId();
    }

    /** {@inheritDoc} */
    @Override
    public Application getApplication() {
        return mrl.getApplication();
    }

    /** {@inheritDoc} */
    @Override
    public MRL getMrl() {
        return mrl;
    }

    /**
     * {@inheritDoc}
     *
     * @throws IllegalArgumentException if an argument is invalid or the model cannot take the requested input
     */
    @Override
    public <I, O> ZooModel<I, O> loadModel(Criteria<I, O> criteria)
            throws IOException, ModelNotFoundException, MalformedModelException {
        String name = getArtifactId();
        Artifact artifact = mrl.match(criteria.getFilters());
        if (artifact == null) {
            throw new ModelNotFoundException(
                    "djl-prune's '" + name + "' has one artifact, version " + CatalogRepository.VERSION
                            + ", with no properties to filter on; the filters " + criteria.getFilters()
                            + " exclude it");
        }
        Map<String, Object> arguments = artifact.getArguments(criteria.getArguments());
        ModelArguments chosen = ModelArguments.of(name, arguments);
        ModelCatalog.get(name).checkInput(chosen.inputShape().slice(1));
        TranslatorFactory factory = translatorFactory(criteria);
        String engine = engine(criteria);
        String modelName = criteria.getModelName() != null ? criteria.getModelName() : name;
        Model model = Model.newInstance(modelName, criteria.getDevice(), engine);
        try {
            Block block = ModelCatalog.build(name, chosen.classes());
            model.setBlock(block);
            initialise(block, model, chosen, name);
            Translator<I, O> translator =
                    factory.newInstance(criteria.getInputClass(), criteria.getOutputClass(), model, arguments);
            return new ZooModel<>(model, translator);
        } catch (TranslateException e) {
            model.close();
            throw new ModelNotFoundException("No translator for djl-prune's '" + name + "': " + e.getMessage(), e);
        } catch (RuntimeException | Error e) {
            model.close();
            throw e;
        }
    }

    /**
     * {@inheritDoc}
     *
     * <p>Always true: the model is built in code and has nothing to download.
     */
    @Override
    public <I, O> boolean isDownloaded(Criteria<I, O> criteria) {
        return true;
    }

    /**
     * {@inheritDoc}
     *
     * <p>Does nothing: the model is built in code and has nothing to download.
     */
    @Override
    public <I, O> void downloadModel(Criteria<I, O> criteria, Progress progress) {}

    private static <I, O> TranslatorFactory translatorFactory(Criteria<I, O> criteria)
            throws ModelNotFoundException {
        TranslatorFactory factory = criteria.getTranslatorFactory();
        if (factory == null) {
            factory = new DefaultTranslatorFactory();
        }
        if (!factory.isSupported(criteria.getInputClass(), criteria.getOutputClass())) {
            throw new ModelNotFoundException(
                    "No translator from " + criteria.getInputClass().getName() + " to "
                            + criteria.getOutputClass().getName() + "; supported types: "
                            + factory.getSupportedTypes());
        }
        return factory;
    }

    /** The criteria's engine, else the default engine if the zoo supports it, else any supported engine present. */
    private static String engine(Criteria<?, ?> criteria) throws ModelNotFoundException {
        String engine = criteria.getEngine();
        if (engine == null) {
            Set<String> supported = PruneModelZoo.ENGINES;
            engine = Engine.getDefaultEngineName();
            if (!supported.contains(engine)) {
                engine = supported.stream().filter(Engine::hasEngine).findFirst().orElse(null);
            }
            if (engine == null) {
                throw new ModelNotFoundException(
                        "djl-prune's models need one of the engines " + supported + "; none is on the class path");
            }
        }
        if (!Engine.hasEngine(engine)) {
            throw new ModelNotFoundException("The engine " + engine + " is not on the class path");
        }
        return engine;
    }

    private static void initialise(Block block, Model model, ModelArguments chosen, String name) {
        try {
            block.initialize(model.getNDManager(), DataType.FLOAT32, chosen.inputShape());
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(
                    "djl-prune's '" + name + "' cannot take inputs of shape " + chosen.inputShape() + ": "
                            + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return mrl.getGroupId() + ':' + mrl.getArtifactId() + ' ' + getApplication();
    }
}
