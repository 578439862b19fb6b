package io.djlprune.zoo.provider;

import ai.djl.repository.zoo.ModelZoo;
import io.djlprune.zoo.model.ModelCatalog;
import java.util.Set;

/**
 * The models of {@link ModelCatalog} as a DJL {@link ModelZoo} with group id {@value #GROUP_ID}: one model loader per
 * catalog name (the artifact id), each building a fresh, initialised, untrained network without any download.
 *
 * <pre>{@code
 * Criteria<NDList, NDList> criteria = Criteria.builder()
 *         .setTypes(NDList.class, NDList.class)
 *         .optGroupId("io.djlprune")
 *         .optArtifactId("resnet20")
 *         .optArguments(Map.of("classes", 10, "channels", 1, "size", 28))
 *         .build();
 * try (ZooModel<NDList, NDList> model = criteria.loadModel()) { ... }
 * }</pre>
 *
 * <p>Arguments (numbers or decimal strings): {@code classes} (default 10), {@code channels} (default 3) and
 * {@code size}, the side of the square input (default 32). Other arguments reach the translator factory unchanged.
 */
public class PruneModelZoo extends ModelZoo {

    /** The group id of djl-prune's models. */
    public static final String GROUP_ID = "io.djlprune";

    /** The engines djl-prune is built and tested on. */
    static final Set<String> ENGINES = Set.of("PyTorch");

    /** Creates the zoo with a loader for every catalog model. */
    public PruneModelZoo() {
        CatalogRepository repository = new CatalogRepository();
        for (String name : ModelCatalog.names()) {
            addModel(new CatalogModelLoader(repository.model(name)));
        }
    }

    /** {@inheritDoc} */
    @Override
    public String getGroupId() {
        return GROUP_ID;
    }

    /**
     * {@inheritDoc}
     *
     * <p>The blocks are plain DJL blocks, but djl-prune is built and tested on the PyTorch engine only.
     */
    @Override
    public Set<String> getSupportedEngines() {
        return ENGINES;
    }
}
