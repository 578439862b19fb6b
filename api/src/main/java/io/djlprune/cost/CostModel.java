package io.djlprune.cost;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Block;
import io.djlprune.graph.ChannelGraph;
import io.djlprune.graph.ChannelMask;
import io.djlprune.graph.LayerNode;
import io.djlprune.graph.Segment;
import io.djlprune.ndarray.OwnedArrays;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The cost of a network under a channel mask, for the {@link BudgetKind}s, counted from the real layers of a
 * {@link ChannelGraph}: kernel sizes, groups, real output sizes, biases, BatchNorm. It has two faces of one formula:
 * an exact integer count for a hard {@link ChannelMask}, and a differentiable NDArray expression for soft per-channel
 * keep values; the two agree exactly when the soft values are exactly 0 or 1.
 *
 * <p>{@link BudgetKind#LATENCY} is counted only by a cost model given a {@link LatencyTable} measured for the graph: its
 * exact face is the table's prediction for the kept counts in picoseconds (rounded once, so it agrees with the soft face
 * to within half a picosecond), its soft face the same bilinear interpolation in the soft counts.
 */
public final class CostModel {

    /** The exact face's unit of {@link BudgetKind#LATENCY}: picoseconds per millisecond. */
    public static final double PICOS_PER_MILLI = 1e9;

    private final ChannelGraph graph;
    private final LatencyTable latency;
    private final Map<BudgetKind, Long> full = new EnumMap<>(BudgetKind.class);

    /**
     * Creates the cost model of a graph, without latency.
     *
     * @param graph the graph
     */
    public CostModel(ChannelGraph graph) {
        this(graph, null);
    }

    /**
     * Creates the cost model of a graph that also counts {@link BudgetKind#LATENCY} with a latency table.
     *
     * @param graph the graph
     * @param latency the table measured for the graph, or null for no latency
     * @throws IllegalArgumentException if the table was measured for another graph
     */
    public CostModel(ChannelGraph graph, LatencyTable latency) {
        this.graph = graph;
        this.latency = latency;
        if (latency != null) {
            latency.checkFits(graph);
        }
        ChannelMask all = ChannelMask.full(graph);
        for (BudgetKind kind : kinds()) {
            full.put(kind, exact(kind, all));
        }
    }

    /**
     * Returns the kinds this model counts: all but {@link BudgetKind#LATENCY} unless it has a latency table.
     *
     * @return the kinds, in declaration order
     */
    public List<BudgetKind> kinds() {
        List<BudgetKind> kinds = new ArrayList<>();
        for (BudgetKind kind : BudgetKind.values()) {
            if (supports(kind)) {
                kinds.add(kind);
            }
        }
        return kinds;
    }

    /**
     * Returns whether this model counts a kind.
     *
     * @param kind the kind
     * @return false only for {@link BudgetKind#LATENCY} without a latency table
     */
    public boolean supports(BudgetKind kind) {
        return kind != BudgetKind.LATENCY || latency != null;
    }

    /**
     * Returns the latency table, if this model has one.
     *
     * @return the table, or null
     */
    public LatencyTable getLatencyTable() {
        return latency;
    }

    /**
     * Returns the graph whose cost this is.
     *
     * @return the graph
     */
    public ChannelGraph getGraph() {
        return graph;
    }

    /**
     * Returns the cost of the unpruned network.
     *
     * @param kind the budget kind
     * @return the full cost
     */
    public long full(BudgetKind kind) {
        requireSupported(kind);
        return full.get(kind);
    }

    /**
     * Returns the exact cost of the network under a hard mask.
     *
     * @param kind the budget kind
     * @param mask the kept channels
     * @return the integer cost
     */
    public long exact(BudgetKind kind, ChannelMask mask) {
        return exact(kind, mask::keptCount);
    }

    /**
     * Returns the exact cost for any source of kept counts, e.g. a selector's working state.
     *
     * @param kind the budget kind
     * @param counter the kept counts per run of each group
     * @return the integer cost
     */
    public long exact(BudgetKind kind, KeptCounter counter) {
        requireSupported(kind);
        if (kind == BudgetKind.LATENCY) {
            return Math.round(latency.predictMillis(graph, counter) * PICOS_PER_MILLI);
        }
        CostAlgebra<Long> alg = new ExactAlgebra(counter);
        long total = 0;
        for (LayerNode node : countedLayers(kind)) {
            total += CostFormula.of(node, kind, alg);
        }
        return total;
    }

    /**
     * Returns the exact cost under a hard mask as a fraction of the full cost.
     *
     * @param kind the budget kind
     * @param mask the kept channels
     * @return kept / full
     */
    public double ratio(BudgetKind kind, ChannelMask mask) {
        return (double) exact(kind, mask) / full(kind);
    }

    /**
     * Returns the soft cost ratio as a differentiable scalar NDArray: the same formula with each group's kept count
     * replaced by the sum of its soft keep values. Gradients flow to every soft value of a prunable group.
     *
     * @param kind the budget kind
     * @param softKeep one 1-D array per group id, values in [0, 1]; entries of fixed groups may be null (all kept)
     * @return the soft cost over the full cost, a scalar
     */
    public NDArray softRatio(BudgetKind kind, NDList softKeep) {
        if (softKeep.size() != graph.groups().size()) {
            throw new IllegalArgumentException(
                    "Soft keep values for " + softKeep.size() + " groups do not fit a graph of " + graph.groups().size());
        }
        NDManager manager = null;
        for (NDArray array : softKeep) {
            if (array != null) {
                manager = array.getManager();
                break;
            }
        }
        if (manager == null) {
            throw new IllegalArgumentException("At least one prunable group needs soft keep values");
        }
        requireSupported(kind);
        SoftAlgebra alg = new SoftAlgebra(manager, softKeep);
        if (kind == BudgetKind.LATENCY) {
            NDArray picos = OwnedArrays.times(latency.softMillis(graph, alg::kept, manager), PICOS_PER_MILLI);
            return OwnedArrays.dividedBy(picos, full(kind));
        }
        NDArray total = alg.constant(0);
        for (LayerNode node : countedLayers(kind)) {
            total = alg.plus(total, CostFormula.of(node, kind, alg));
        }
        return OwnedArrays.dividedBy(total, full(kind));
    }

    private void requireSupported(BudgetKind kind) {
        if (!supports(kind)) {
            throw new IllegalArgumentException(
                    "A latency budget needs a latency table measured for this network on the target device: build one"
                            + " with LatencyTables.loadOrBuild (engine-ops, io.djlprune.latency) and give it to the cost model, or, on the"
                            + " command line, use --budget latency=R, which builds it");
        }
    }

    /**
     * The layer uses whose cost counts: every use for work (FLOPs, channels, volume), but a block used twice holds its
     * parameters once.
     */
    private List<LayerNode> countedLayers(BudgetKind kind) {
        if (kind != BudgetKind.PARAMETERS) {
            return graph.layers();
        }
        Set<Block> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        List<LayerNode> first = new ArrayList<>();
        for (LayerNode node : graph.layers()) {
            if (seen.add(node.block())) {
                first.add(node);
            }
        }
        return first;
    }

    /** Integer counts from a hard mask. */
    private final class ExactAlgebra implements CostAlgebra<Long> {
        private final KeptCounter counter;

        ExactAlgebra(KeptCounter counter) {
            this.counter = counter;
        }

        @Override
        public Long constant(long value) {
            return value;
        }

        @Override
        public Long plus(Long a, Long b) {
            return Math.addExact(a, b);
        }

        @Override
        public Long times(Long a, Long b) {
            return Math.multiplyExact(a, b);
        }

        @Override
        public Long kept(Segment segment) {
            return (long) counter.keptCount(segment.group(), segment.start(), segment.count());
        }

        @Override
        public boolean prunable(Segment segment) {
            return graph.group(segment.group()).prunable();
        }
    }

    /** NDArray expressions from soft keep values; fixed groups count as fully kept constants. */
    private final class SoftAlgebra implements CostAlgebra<NDArray> {
        private final NDManager manager;
        private final NDList softKeep;

        SoftAlgebra(NDManager manager, NDList softKeep) {
            this.manager = manager;
            // float64 keeps integer counts beyond 2^24 exact, so soft and exact agree at 0/1. The promotion is a
            // product with float64 ones because DJL's toType(FLOAT64) on PyTorch cuts the autograd graph.
            this.softKeep = new NDList();
            for (NDArray values : softKeep) {
                this.softKeep.add(
                        values == null
                                ? null
                                : values.mul(manager.ones(values.getShape(), DataType.FLOAT64, values.getDevice())));
            }
        }

        @Override
        public NDArray constant(long value) {
            return OwnedArrays.scalar(manager, value, DataType.FLOAT64);
        }

        @Override
        public NDArray plus(NDArray a, NDArray b) {
            return a.add(b);
        }

        @Override
        public NDArray times(NDArray a, NDArray b) {
            return a.mul(b);
        }

        @Override
        public NDArray kept(Segment segment) {
            NDArray values = softKeep.get(segment.group());
            if (values == null || !graph.group(segment.group()).prunable()) {
                return constant(segment.count());
            }
            NDArray run =
                    segment.start() == 0 && segment.count() == values.getShape().get(0)
                            ? values
                            : values.get(new NDIndex("{}:{}", segment.start(), segment.start() + segment.count()));
            return run.sum();
        }

        @Override
        public boolean prunable(Segment segment) {
            return graph.group(segment.group()).prunable();
        }
    }
}
