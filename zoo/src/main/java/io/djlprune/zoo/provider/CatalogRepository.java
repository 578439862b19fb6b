package io.djlprune.zoo.provider;

import ai.djl.Application;
import ai.djl.repository.AbstractRepository;
import ai.djl.repository.Artifact;
import ai.djl.repository.MRL;
import ai.djl.repository.Metadata;
import ai.djl.repository.VersionRange;
import ai.djl.util.Progress;
import io.djlprune.zoo.model.ModelCatalog;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An in-memory repository that describes the catalog models to DJL: each model has one artifact, with no files (the
 * network is built in code) and the default arguments. It exists so that every {@link MRL} of the zoo resolves the way
 * DJL expects ({@code mrl.match(filters)}, {@code mrl.listArtifacts()}) and so that criteria arguments override the
 * defaults by DJL's own rule ({@link Artifact#getArguments(Map)}).
 */
final class CatalogRepository extends AbstractRepository {

    /** The version of every catalog artifact: the models change with djl-prune, not on their own. */
    static final String VERSION = "0.1.0";

    private final List<MRL> resources = new CopyOnWriteArrayList<>();

    CatalogRepository() {
        super("djl-prune", URI.create("djl-prune://catalog/"));
    }

    /**
     * Returns the MRL of a catalog model, registering it as a resource of this repository.
     *
     * @param name the catalog name
     * @return its MRL
     */
    MRL model(String name) {
        MRL mrl = MRL.model(this, Application.CV.IMAGE_CLASSIFICATION, PruneModelZoo.GROUP_ID, name, VERSION, name);
        addResource(mrl);
        return mrl;
    }

    /** {@inheritDoc} */
    @Override
    public boolean isRemote() {
        return false;
    }

    /** {@inheritDoc} */
    @Override
    public Metadata locate(MRL mrl) {
        ModelCatalog.Entry entry = ModelCatalog.get(mrl.getArtifactId());
        Metadata metadata = new Metadata();
        metadata.setGroupId(mrl.getGroupId());
        metadata.setArtifactId(entry.name());
        metadata.setName(entry.name());
        metadata.setDescription(entry.description());
        metadata.setApplication(mrl.getApplication());
        metadata.setRepositoryUri(getBaseUri());
        Artifact artifact = new Artifact();
        artifact.setName(entry.name());
        artifact.setVersion(VERSION);
        artifact.setArguments(new HashMap<>(Map.of("classes", 10, "channels", 3, "size", 32)));
        artifact.setFiles(new HashMap<>());
        artifact.setMetadata(metadata);
        metadata.setArtifacts(new ArrayList<>(List.of(artifact)));
        return metadata;
    }

    /** {@inheritDoc} */
    @Override
    public Artifact resolve(MRL mrl, Map<String, String> filters) {
        List<Artifact> found = locate(mrl).search(VersionRange.parse(mrl.getVersion()), filters);
        return found.isEmpty() ? null : found.get(0);
    }

    /** Nothing to fetch: the artifacts have no files. Overridden so that no cache directory is created either. */
    @Override
    public void prepare(Artifact artifact, Progress progress) {}

    /** {@inheritDoc} */
    @Override
    public List<MRL> getResources() {
        return List.copyOf(resources);
    }

    /** {@inheritDoc} */
    @Override
    public void addResource(MRL mrl) {
        resources.add(mrl);
    }
}
