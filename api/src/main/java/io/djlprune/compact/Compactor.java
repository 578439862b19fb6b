package io.djlprune.compact;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import io.djlprune.graph.ChannelGraph;
import io.djlprune.graph.ChannelGroup;
import io.djlprune.graph.ChannelMask;
import io.djlprune.graph.LayerNode;
import io.djlprune.ops.OpClassifier;
import java.util.Objects;

/**
 * Physically removes the masked channels of a network: builds a new, smaller plain DJL block with the same container
 * structure, whose every convolution, BatchNorm and linear layer keeps only its kept channels, and which computes
 * what the masked model computes (see {@link MaskSemantics}). Removed channels that carry a constant into a consumer
 * are folded into its bias; where no exact fold exists, compaction is refused with the layer's path. The original
 * network is only read.
 *
 * <pre>
 * Compactor compactor = Compactor.builder().setClassifier(classifier).build();
 * CompactionResult result = compactor.compact(model.getNDManager(), dense, graph, mask);
 * model.setBlock(result.block());
 * </pre>
 */
public final class Compactor {

    private final OpClassifier classifier;
    private final MaskSemantics semantics;

    private Compactor(Builder builder) {
        this.classifier = builder.classifier;
        this.semantics = builder.semantics;
    }

    /**
     * Creates a builder.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Returns the masked-model semantics this compactor reproduces.
     *
     * @return the semantics
     */
    public MaskSemantics getSemantics() {
        return semantics;
    }

    /**
     * Builds the compact network.
     *
     * @param manager the manager that owns the compact network's parameters (on its device); temporaries are freed
     * @param dense the initialised network the graph was built from; left unchanged
     * @param graph its channel graph
     * @param mask the channels to keep, a mask of this graph
     * @return the compact block and a report
     * @throws IllegalArgumentException if the graph or the mask does not belong to the network
     * @throws io.djlprune.ops.UnsupportedBlockException if a block has no slicing rule (path and type)
     * @throws InexactCompactionException if a removed channel cannot be deleted exactly (path and reason)
     */
    public CompactionResult compact(NDManager manager, Block dense, ChannelGraph graph, ChannelMask mask) {
        validate(dense, graph, mask);
        // Every layer must have an exact rule before anything runs: fail closed on the first unknown block.
        for (LayerNode node : graph.layers()) {
            Slicers.of(node).check(node);
        }
        DataType dataType = dataType(dense);
        ZeroPoints zeros = ZeroPoints.of(graph, semantics);
        ConstantProbe probe = new ConstantProbe(manager, dataType);
        LeakTrace trace = new LeakTracer(graph, mask, zeros, probe, classifier).trace(dense, graph.getInputShape());
        FoldPlan plan = new FoldPlanner(graph, mask, semantics, manager).plan(trace);
        // The new parameters live in a child of the caller's manager, so a failure half-way frees all of them.
        NDManager owner = manager.newSubManager();
        try {
            TreeRebuilder rebuilder = new TreeRebuilder(graph, mask, plan, owner);
            Block compact = rebuilder.rebuild(dense);
            // Every parameter is already set, so initialising only records shapes and marks gradients.
            compact.initialize(owner, dataType, graph.getInputShape());
            return new CompactionResult(compact, rebuilder.changes(), plan.folds());
        } catch (RuntimeException e) {
            owner.close();
            throw e;
        }
    }

    private static void validate(Block dense, ChannelGraph graph, ChannelMask mask) {
        if (!dense.isInitialized()) {
            throw new IllegalStateException("Initialise the network before compacting it");
        }
        if (mask.groupCount() != graph.groups().size()) {
            throw new IllegalArgumentException(
                    "The mask has " + mask.groupCount() + " groups, the graph " + graph.groups().size());
        }
        for (ChannelGroup group : graph.groups()) {
            if (mask.keep(group.id()).length != group.size()) {
                throw new IllegalArgumentException(
                        "Group " + group.id() + " has " + group.size() + " channels, the mask "
                                + mask.keep(group.id()).length);
            }
            if (!group.prunable() && mask.keptCount(group.id()) != group.size()) {
                throw new IllegalArgumentException(
                        "Group " + group.id() + " is fixed (" + group.fixedReason()
                                + ") but the mask removes channels");
            }
        }
    }

    /** The type of the network's parameters, which the new parameters and the probes share. */
    private static DataType dataType(Block dense) {
        for (Parameter parameter : dense.getParameters().values()) {
            return parameter.getArray().getDataType();
        }
        return DataType.FLOAT32;
    }

    /** Configures a {@link Compactor}. */
    public static final class Builder {

        private OpClassifier classifier;
        private MaskSemantics semantics = MaskSemantics.GATED;

        Builder() {}

        /**
         * Sets the classifier the channel graph was built with; the compactor asks it how parallel blocks join.
         *
         * @param classifier the classifier
         * @return this builder
         */
        public Builder setClassifier(OpClassifier classifier) {
            this.classifier = Objects.requireNonNull(classifier, "classifier");
            return this;
        }

        /**
         * Sets what the masked model is (default {@link MaskSemantics#GATED}, ChipNet's hard gates).
         *
         * @param semantics the semantics
         * @return this builder
         */
        public Builder optSemantics(MaskSemantics semantics) {
            this.semantics = Objects.requireNonNull(semantics, "semantics");
            return this;
        }

        /**
         * Builds the compactor.
         *
         * @return the compactor
         * @throws IllegalArgumentException if no classifier is set
         */
        public Compactor build() {
            if (classifier == null) {
                throw new IllegalArgumentException("Set the OpClassifier the channel graph was built with");
            }
            return new Compactor(this);
        }
    }
}
