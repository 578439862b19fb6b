package io.djlprune.graph;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import io.djlprune.ops.BatchNormOp;
import io.djlprune.ops.Conv2dOp;
import io.djlprune.ops.LinearOp;
import io.djlprune.ops.OpClassifier;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The channel structure of a network: every leaf layer in execution order with its shapes, and the
 * {@link ChannelGroup}s of channels that must be pruned together. Built from a DJL block and its input shape by
 * walking the tree; whatever the walk cannot prove safe stops it with the block's path.
 *
 * <pre>
 * ChannelGraph graph = ChannelGraph.builder().setInputShape(new Shape(1, 1, 28, 28)).build(block);
 * graph.prunableGroups().forEach(g -&gt; System.out.println(g.describe()));
 * </pre>
 */
public final class ChannelGraph {

    private final Shape inputShape;
    private final List<LayerNode> layers;
    private final List<ChannelGroup> groups;
    private final ChannelLayout outputLayout;
    private final String fingerprint;
    private final String prunableFingerprint;

    private ChannelGraph(
            Shape inputShape, List<LayerNode> layers, List<ChannelGroup> groups, ChannelLayout outputLayout) {
        this.inputShape = inputShape;
        this.layers = List.copyOf(layers);
        this.groups = List.copyOf(groups);
        this.outputLayout = outputLayout;
        this.fingerprint = sha256(describeAll());
        this.prunableFingerprint = sha256(describePrunable());
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
     * Returns the input shape the graph was traced with (batch axis included).
     *
     * @return the input shape
     */
    public Shape getInputShape() {
        return inputShape;
    }

    /**
     * Returns every leaf layer use in execution order.
     *
     * @return the layers
     */
    public List<LayerNode> layers() {
        return layers;
    }

    /**
     * Returns every channel group, prunable or not, by id.
     *
     * @return the groups
     */
    public List<ChannelGroup> groups() {
        return groups;
    }

    /**
     * Returns the group with the given id.
     *
     * @param id the id
     * @return the group
     */
    public ChannelGroup group(int id) {
        return groups.get(id);
    }

    /**
     * Returns the groups whose channels may be removed.
     *
     * @return the prunable groups, by id
     */
    public List<ChannelGroup> prunableGroups() {
        return groups.stream().filter(ChannelGroup::prunable).toList();
    }

    /**
     * Returns the channel layout of the network's output.
     *
     * @return the output layout
     */
    public ChannelLayout getOutputLayout() {
        return outputLayout;
    }

    /**
     * Returns a SHA-256 over the layers (paths, ops, shapes, layouts) and groups: two models have the same fingerprint
     * exactly when a mask plan for one fits the other.
     *
     * @return 64 hex digits
     */
    public String fingerprint() {
        return fingerprint;
    }

    /**
     * Returns a SHA-256 over the prunable groups only (their sizes and the paths of their layers): equal for the same
     * architecture trained on datasets with other input channels or class counts, so masks and gates can be
     * transferred between them.
     *
     * @return 64 hex digits
     */
    public String prunableFingerprint() {
        return prunableFingerprint;
    }

    /**
     * Returns the BatchNorm that is the only reader of a layer's output, if there is one: then that BatchNorm is the
     * single place where the layer's channels can be cut off (a gate after it covers the layer too).
     *
     * @param producer a layer of this graph
     * @return the BatchNorm, or empty when the output goes elsewhere, to several readers, or into a join
     */
    public Optional<LayerNode> soleBatchNormReader(LayerNode producer) {
        LayerNode reader = null;
        for (LayerNode node : layers) {
            if (node.source() == producer.index()) {
                if (reader != null) {
                    return Optional.empty();
                }
                reader = node;
            }
        }
        return reader != null && reader.op() instanceof BatchNormOp ? Optional.of(reader) : Optional.empty();
    }

    /**
     * Returns the total number of prunable channels.
     *
     * @return Σ size over prunable groups
     */
    public int prunableChannels() {
        return prunableGroups().stream().mapToInt(ChannelGroup::size).sum();
    }

    /**
     * Returns every group's description, one after another.
     *
     * @return the readable description of the graph
     */
    public String describe() {
        StringBuilder text = new StringBuilder();
        text.append(layers.size()).append(" layers, ").append(groups.size()).append(" channel groups (");
        text.append(prunableGroups().size()).append(" prunable, ").append(prunableChannels()).append(" channels)");
        for (ChannelGroup group : groups) {
            text.append('\n').append(group.describe());
        }
        return text.toString();
    }

    private String describePrunable() {
        StringBuilder text = new StringBuilder();
        for (ChannelGroup group : prunableGroups()) {
            text.append(group.size()).append(':');
            for (List<LayerNode> role : List.of(group.producers(), group.members(), group.consumers())) {
                for (LayerNode node : role) {
                    text.append(node.path()).append(',');
                }
                text.append(';');
            }
            text.append('\n');
        }
        return text.toString();
    }

    /** Every op's text is stable: the ops with array components write them out element by element. */
    private String describeAll() {
        StringBuilder text = new StringBuilder();
        text.append(inputShape).append('\n');
        for (LayerNode node : layers) {
            text.append(node.path()).append('|').append(node.op()).append('|');
            text.append(node.inputShape()).append('|').append(node.outputShape()).append('|');
            text.append(node.input()).append('|').append(node.output()).append('\n');
        }
        for (ChannelGroup group : groups) {
            text.append(group.id()).append(':').append(group.size()).append(':').append(group.prunable()).append('\n');
        }
        return text.toString();
    }

    private static String sha256(String text) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(digest.digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }

    /** Configures and builds a {@link ChannelGraph}. */
    public static final class Builder {

        private Shape inputShape;
        private OpClassifier classifier;
        private final Set<String> excluded = new LinkedHashSet<>();

        Builder() {}

        /**
         * Sets the input shape to trace with, batch axis included, e.g. {@code (1, 3, 32, 32)}.
         *
         * @param inputShape the input shape
         * @return this builder
         */
        public Builder setInputShape(Shape inputShape) {
            this.inputShape = inputShape;
            return this;
        }

        /**
         * Sets the classifier that describes leaf blocks.
         *
         * @param classifier the classifier
         * @return this builder
         */
        public Builder setClassifier(OpClassifier classifier) {
            this.classifier = classifier;
            return this;
        }

        /**
         * Keeps the channels produced by the block at {@code path} (or inside it) unpruned.
         *
         * @param path a block path as the graph prints it
         * @return this builder
         */
        public Builder optExclude(String path) {
            excluded.add(path);
            return this;
        }

        /**
         * Walks the block and builds the graph.
         *
         * @param block an initialised block
         * @return the graph
         * @throws IllegalStateException if the block is not initialised
         * @throws io.djlprune.ops.UnsupportedBlockException if a block cannot be proven safe
         * @throws IllegalArgumentException if an excluded path names no layer
         */
        public ChannelGraph build(Block block) {
            if (inputShape == null || inputShape.dimension() < 2) {
                throw new IllegalArgumentException("Set an input shape with a batch and a channel axis, got " + inputShape);
            }
            if (classifier == null) {
                throw new IllegalArgumentException("Set the OpClassifier that describes the network's blocks");
            }
            if (!block.isInitialized()) {
                throw new IllegalStateException(
                        "Initialise the block first, e.g. block.initialize(manager, DataType.FLOAT32, " + inputShape + ")");
            }
            GraphWalker walker = new GraphWalker(classifier);
            GroupUnion union = walker.groups();
            int inputGroup = union.add((int) inputShape.get(1), "network input");
            ChannelLayout output = walker.walk(block, "", inputShape, ChannelLayout.whole(inputGroup, (int) inputShape.get(1)));
            for (Segment segment : output.segments()) {
                union.fix(segment.group(), "network output");
            }
            applyExclusions(walker.nodes(), union);
            return canonical(walker.nodes(), union, output);
        }

        private void applyExclusions(List<LayerNode> nodes, GroupUnion union) {
            for (String path : excluded) {
                boolean found = false;
                for (LayerNode node : nodes) {
                    if (node.path().equals(path) || node.path().startsWith(path + "/")) {
                        found = true;
                        if (isProducer(node)) {
                            union.fix(node.output().segments().get(0).group(), "excluded: " + path);
                        }
                    }
                }
                if (!found) {
                    throw new IllegalArgumentException("Excluded path '" + path + "' names no layer of the network");
                }
            }
        }

        /** Renumbers the tied groups densely in order of appearance and lists each group's layers. */
        private ChannelGraph canonical(List<LayerNode> nodes, GroupUnion union, ChannelLayout output) {
            Map<Integer, Integer> ids = new HashMap<>();
            List<Integer> roots = new ArrayList<>();
            for (LayerNode node : nodes) {
                for (ChannelLayout layout : List.of(node.input(), node.output())) {
                    for (Segment segment : layout.segments()) {
                        int root = union.find(segment.group());
                        if (!ids.containsKey(root)) {
                            ids.put(root, roots.size());
                            roots.add(root);
                        }
                    }
                }
            }
            List<LayerNode> renumbered = new ArrayList<>();
            for (LayerNode n : nodes) {
                renumbered.add(
                        new LayerNode(
                                n.index(), n.source(), n.path(), n.block(), n.op(), n.inputShape(), n.outputShape(),
                                n.input().mapGroups(g -> ids.get(union.find(g))),
                                n.output().mapGroups(g -> ids.get(union.find(g)))));
            }
            List<ChannelGroup> groups = new ArrayList<>();
            for (int id = 0; id < roots.size(); id++) {
                int root = roots.get(id);
                List<LayerNode> producers = new ArrayList<>();
                List<LayerNode> members = new ArrayList<>();
                List<LayerNode> consumers = new ArrayList<>();
                for (LayerNode n : renumbered) {
                    boolean perChannel =
                            n.op() instanceof BatchNormOp || (n.op() instanceof Conv2dOp c && c.isDepthwise());
                    if (isProducer(n) && n.output().contains(id)) {
                        producers.add(n);
                    } else if (perChannel && n.output().contains(id)) {
                        members.add(n);
                    }
                    if (isProducer(n) && n.input().contains(id)) {
                        consumers.add(n);
                    }
                }
                String reason = union.fixedReason(root);
                groups.add(
                        new ChannelGroup(id, union.size(root), reason == null, reason, producers, members, consumers));
            }
            return new ChannelGraph(
                    inputShape, renumbered, groups, output.mapGroups(g -> ids.get(union.find(g))));
        }

        private static boolean isProducer(LayerNode node) {
            return node.op() instanceof LinearOp || (node.op() instanceof Conv2dOp c && !c.isDepthwise());
        }
    }
}
