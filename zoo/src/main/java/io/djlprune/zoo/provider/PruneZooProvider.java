package io.djlprune.zoo.provider;

import ai.djl.repository.zoo.ModelZoo;
import ai.djl.repository.zoo.ZooProvider;

/**
 * Makes djl-prune's catalog visible to DJL's {@code Criteria} and {@link ModelZoo#listModelZoo()}: DJL finds it through
 * {@code META-INF/services/ai.djl.repository.zoo.ZooProvider} when the zoo jar is on the class path.
 */
public class PruneZooProvider implements ZooProvider {

    /** Creates the provider; DJL's service loader calls this. */
    public PruneZooProvider() {}

    /** {@inheritDoc} */
    @Override
    public ModelZoo getModelZoo() {
        return new PruneModelZoo();
    }
}
