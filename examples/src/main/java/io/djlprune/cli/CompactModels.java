package io.djlprune.cli;

import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.djlprune.compact.CompactionResult;
import io.djlprune.compact.Compactor;
import io.djlprune.graph.ChannelGraph;
import io.djlprune.mask.MaskPlan;
import io.djlprune.ops.DjlOpClassifier;
import io.djlprune.ops.OpClassifier;
import io.djlprune.zoo.model.ModelCatalog;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The steps after pruning that the {@code prune}, {@code finetune} and {@code export} commands share: rebuild a pruned
 * run's dense model from its folder and compact it with its plan.
 */
final class CompactModels {

    /** The classifier every command describes blocks with. */
    static final OpClassifier CLASSIFIER = DjlOpClassifier.newInstance();

    private CompactModels() {}

    /**
     * Loads the dense model a {@code prune} run saved, checks the plan fits it, and compacts it.
     *
     * @param runDir the prune output folder (weights and plan)
     * @param plan the plan (usually {@code runDir/plan.json})
     * @param model a fresh model to hold the dense block; its manager owns the weights
     * @param manager the manager of the compacted parameters
     * @param sampleShape the input shape of one sample
     * @param classes the class count
     * @return the compaction result
     * @throws IOException if the weights cannot be read
     * @throws MalformedModelException if the weights do not fit the model
     */
    static CompactionResult loadAndCompact(
            Path runDir, MaskPlan plan, Model model, NDManager manager, Shape sampleShape, int classes)
            throws IOException, MalformedModelException {
        if (!Files.isDirectory(runDir)) {
            throw new IOException("Run folder " + runDir + " does not exist (run 'djl-prune prune' first)");
        }
        model.setBlock(ModelCatalog.build(plan.getModel(), classes));
        Shape input = new Shape(1).addAll(sampleShape);
        model.getBlock().initialize(model.getNDManager(), DataType.FLOAT32, input);
        model.load(runDir, plan.getModel());
        ChannelGraph graph = ChannelGraph.builder().setInputShape(input).setClassifier(CLASSIFIER).build(model.getBlock());
        return Compactor.builder().setClassifier(CLASSIFIER).build().compact(manager, model.getBlock(), graph, plan.toMask(graph));
    }
}
