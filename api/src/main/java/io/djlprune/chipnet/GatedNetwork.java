package io.djlprune.chipnet;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.norm.BatchNorm;
import io.djlprune.cost.CostModel;
import io.djlprune.gate.Gate;
import io.djlprune.gate.GateController;
import io.djlprune.gate.GateMode;
import io.djlprune.graph.ChannelGraph;
import io.djlprune.graph.ChannelGroup;
import io.djlprune.graph.ChannelMask;
import io.djlprune.graph.LayerNode;
import io.djlprune.ops.BatchNormOp;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * A network with ChipNet gates inserted from its channel graph: one gate vector ψ per prunable channel group, shared by
 * every gate site of the group (after each of its BatchNorms, or after a producer with no BatchNorm), all driven by one
 * {@link GateController}. The original leaf blocks are shared, so the gated network trains the same weights.
 *
 * <pre>
 * ChannelGraph graph = ChannelGraph.builder().setInputShape(shape).setClassifier(classifier).build(dense);
 * GatedNetwork gated = GatedNetwork.of(dense, graph);
 * model.setBlock(gated.getBlock());
 * </pre>
 */
public final class GatedNetwork {

    private final Block block;
    private final Block dense;
    private final ChannelGraph graph;
    private CostModel cost;
    private final GateController controller;
    private final Map<Integer, Gate> owners;
    private final List<Gate> gates;
    private final Map<LayerNode, Integer> sites;

    private GatedNetwork(
            Block block,
            Block dense,
            ChannelGraph graph,
            GateController controller,
            Map<Integer, Gate> owners,
            List<Gate> gates,
            Map<LayerNode, Integer> sites) {
        this.block = block;
        this.dense = dense;
        this.graph = graph;
        this.cost = new CostModel(graph);
        this.controller = controller;
        this.owners = owners;
        this.gates = gates;
        this.sites = sites;
    }

    /**
     * Inserts gates into a copy of the network's container structure.
     *
     * @param dense the initialised network the graph was built from
     * @param graph its channel graph
     * @return the gated network; its block is uninitialised only in its new gates (initialise it with the graph's
     *     input shape, which keeps every trained weight)
     */
    public static GatedNetwork of(Block dense, ChannelGraph graph) {
        return of(dense, graph, true);
    }

    /**
     * Inserts gates, optionally without joining those after a BatchNorm into a {@link GatedBatchNorm} (the plain
     * multiply is the reference the joined form is tested against).
     *
     * @param dense the initialised network the graph was built from
     * @param graph its channel graph
     * @param joinBatchNorms whether gates after a BatchNorm scale its γ and β instead of its output
     * @return the gated network
     */
    static GatedNetwork of(Block dense, ChannelGraph graph, boolean joinBatchNorms) {
        GateController controller = new GateController();
        Map<Block, Integer> sites = GateSites.of(graph);
        Map<Integer, Gate> owners = new java.util.TreeMap<>();
        Map<Block, Gate> after = new IdentityHashMap<>();
        Map<Block, BatchNormOp> batchNorms = new IdentityHashMap<>();
        List<Gate> gates = new ArrayList<>();
        Map<LayerNode, Integer> siteNodes = new java.util.LinkedHashMap<>();
        // Visit sites in execution order so that the owner of each group is its first site.
        for (var node : graph.layers()) {
            Integer group = sites.get(node.block());
            if (group == null || after.containsKey(node.block())) {
                continue;
            }
            ChannelGroup channels = graph.group(group);
            Gate.Builder builder =
                    Gate.builder()
                            .setChannels(channels.size())
                            .setController(controller)
                            .optName("gate" + group);
            Gate owner = owners.get(group);
            if (owner != null) {
                builder.optSharedWith(owner);
            }
            Gate gate = builder.build();
            owners.putIfAbsent(group, gate);
            gates.add(gate);
            after.put(node.block(), gate);
            siteNodes.put(node, group);
            if (joinBatchNorms && node.op() instanceof BatchNormOp op && node.block().getClass() == BatchNorm.class) {
                batchNorms.put(node.block(), op);
            }
        }
        Block rewritten = new BlockRewriter(after, batchNorms).rewrite(dense, "");
        return new GatedNetwork(rewritten, dense, graph, controller, owners, gates, siteNodes);
    }

    /**
     * Returns the gated block to train.
     *
     * @return the block
     */
    public Block getBlock() {
        return block;
    }

    /**
     * Returns the dense network the gates were inserted into; it shares every trained weight with {@link #getBlock()}.
     *
     * @return the dense block
     */
    public Block getDenseBlock() {
        return dense;
    }

    /**
     * Returns the channel graph of the dense network.
     *
     * @return the graph
     */
    public ChannelGraph getGraph() {
        return graph;
    }

    /**
     * Returns the cost model of the dense network's graph.
     *
     * @return the cost model
     */
    public CostModel getCostModel() {
        return cost;
    }

    /**
     * Replaces the cost model the budget term and the hard mask count with, e.g. by one that also counts
     * {@link io.djlprune.cost.BudgetKind#LATENCY} with a latency table.
     *
     * @param cost a cost model of this network's graph
     * @throws IllegalArgumentException if it is the cost model of another graph
     */
    public void setCostModel(CostModel cost) {
        if (cost == null || cost.getGraph() != graph) {
            throw new IllegalArgumentException("The cost model of a gated network must be built on its own channel graph");
        }
        this.cost = cost;
    }

    /**
     * Returns the controller every gate follows.
     *
     * @return the controller
     */
    public GateController getController() {
        return controller;
    }

    /**
     * Returns every gate site.
     *
     * @return the gates, in execution order
     */
    public List<Gate> getGates() {
        return Collections.unmodifiableList(gates);
    }

    /**
     * Returns the gate that owns ψ of a group.
     *
     * @param group the group id
     * @return the owner gate
     * @throws IllegalArgumentException if the group is not prunable
     */
    public Gate ownerOf(int group) {
        Gate gate = owners.get(group);
        if (gate == null) {
            throw new IllegalArgumentException("Group " + group + " is not prunable and has no gate");
        }
        return gate;
    }

    /**
     * Returns the current ψ of every prunable group, for ranking channels.
     *
     * @return one array per group id, null for fixed groups
     */
    public float[][] psi() {
        float[][] psi = new float[graph.groups().size()][];
        for (Map.Entry<Integer, Gate> entry : owners.entrySet()) {
            psi[entry.getKey()] = entry.getValue().getPsi().getArray().toFloatArray();
        }
        return psi;
    }

    /**
     * Sets ψ of every prunable group, e.g. from a transferred plan.
     *
     * @param psi one array per group id (entries of fixed groups ignored)
     */
    public void setPsi(float[][] psi) {
        for (Map.Entry<Integer, Gate> entry : owners.entrySet()) {
            float[] values = psi[entry.getKey()];
            if (values == null || values.length != graph.group(entry.getKey()).size()) {
                throw new IllegalArgumentException("ψ for group " + entry.getKey() + " has the wrong length");
            }
            entry.getValue().getPsi().getArray().set(values);
        }
    }

    /**
     * Returns the soft gate values z of every prunable group under the current projection, differentiable in ψ.
     *
     * @param manager the manager (and device) to compute on
     * @return one array per group id, null for fixed groups
     */
    public NDList softGates(NDManager manager) {
        NDList z = new NDList();
        for (ChannelGroup group : graph.groups()) {
            Gate owner = owners.get(group.id());
            z.add(owner == null ? null : owner.softValues(manager));
        }
        return z;
    }

    /**
     * Switches every gate to a fixed hard mask.
     *
     * @param mask the channels to keep
     */
    public void applyHardMask(ChannelMask mask) {
        for (Map.Entry<Integer, Gate> entry : owners.entrySet()) {
            entry.getValue().setKeepMask(mask.keep(entry.getKey()));
        }
        controller.setMode(GateMode.HARD);
    }

    /**
     * Switches every gate to a fixed hard mask whose kept channels keep a factor, e.g. the soft gate value z they were
     * trained with, instead of passing at 1: the hard network then differs from the soft one only by the removed
     * channels.
     *
     * @param mask the channels to keep
     * @param factors one factor per channel of each prunable group (fixed groups may be null); only kept channels'
     *     factors are used, and those must be finite and &gt; 0
     */
    public void applyHardMask(ChannelMask mask, float[][] factors) {
        for (Map.Entry<Integer, Gate> entry : owners.entrySet()) {
            entry.getValue().setHardValues(keptFactors(mask, factors, entry.getKey()));
        }
        controller.setMode(GateMode.HARD);
    }

    /**
     * Makes the kept-channel factors part of the weights: multiplies the parameters of every layer a gate follows
     * (a BatchNorm's γ and β, or a convolution's or linear layer's output rows and bias) by its group's factors, then
     * applies the mask with kept channels at 1. The gated network in hard mode computes what {@link
     * #applyHardMask(ChannelMask, float[][])} computed, and so does the dense network it shares parameters with under
     * the mask, which is what the compactor slices. ψ no longer describes these weights: train the result as a plain
     * network (fine-tune the compacted one), not with soft gates.
     *
     * @param mask the channels to keep
     * @param factors one factor per channel of each prunable group, as for {@link #applyHardMask(ChannelMask,
     *     float[][])}
     * @throws io.djlprune.ops.UnsupportedBlockException if a gate follows a layer that cannot absorb the factors
     */
    public void foldHardMask(ChannelMask mask, float[][] factors) {
        for (Map.Entry<LayerNode, Integer> site : sites.entrySet()) {
            KeptScaleFolding.fold(site.getKey(), keptFactors(mask, factors, site.getValue()));
        }
        applyHardMask(mask);
    }

    private static float[] keptFactors(ChannelMask mask, float[][] factors, int group) {
        boolean[] keep = mask.keep(group);
        float[] values = factors[group];
        if (values == null || values.length != keep.length) {
            throw new IllegalArgumentException(
                    "Group " + group + " has " + keep.length + " channels but " + (values == null ? "no" : values.length)
                            + " factors");
        }
        float[] kept = new float[keep.length];
        for (int c = 0; c < keep.length; c++) {
            if (keep[c] && !(values[c] > 0 && Float.isFinite(values[c]))) {
                throw new IllegalArgumentException(
                        "Kept channel " + c + " of group " + group + " needs a finite factor > 0, got " + values[c]);
            }
            kept[c] = keep[c] ? values[c] : 0f;
        }
        return kept;
    }

    /** Switches every gate back to the soft, trainable mode. */
    public void useSoftGates() {
        controller.setMode(GateMode.SOFT);
    }

    /**
     * Returns the soft gate values z of every prunable group under the current projection, as plain numbers for the
     * hard-mask selection (z &gt; ½ is the soft gates' own keep decision; Σz per group is their allocation).
     *
     * @param manager a manager for the computation
     * @return one array per group id, null for fixed groups
     */
    public float[][] softGateValues(NDManager manager) {
        float[][] values = new float[graph.groups().size()][];
        try (NDManager scope = manager.newSubManager()) {
            NDList z = softGates(scope);
            for (int g = 0; g < z.size(); g++) {
                if (z.get(g) != null) {
                    values[g] = z.get(g).toFloatArray();
                }
            }
        }
        return values;
    }
}
