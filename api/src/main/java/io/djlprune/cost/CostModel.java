package io.djlprune.cost;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import io.djlprune.graph.ChannelGraph;
import io.djlprune.graph.ChannelMask;
import io.djlprune.graph.LayerNode;
import io.djlprune.graph.Segment;
import ai.djl.nn.Block;
import io.djlprune.ndarray.OwnedArrays;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.Map;

/**
 * The cost of a network under a channel mask, for the four {@link BudgetKind}s, counted from the real layers of a
 * {@link ChannelGraph}: kernel sizes, groups, real output sizes, biases, BatchNorm. It has two faces of one formula:
 * an exact integer count for a hard {@link ChannelMask}, and a differentiable NDArray expression for soft per-channel
 * keep values; the two agree exactly when the soft values are exactly 0 or 1.
 */
public final class CostModel {

    private final ChannelGraph graph;
    private final Map<BudgetKind, Long> full = new EnumMap<>(BudgetKind.class);

    /**
     * Creates the cost model of a graph.
     *
     * @param graph the graph
     */
    public CostModel(ChannelGraph graph) {
        this.graph = graph;
        ChannelMask all = ChannelMask.full(graph);
        for (BudgetKind kind : BudgetKind.values()) {
            full.put(kind, exact(kind, all));
        }
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
        SoftAlgebra alg = new SoftAlgebra(manager, softKeep);
        NDArray total = alg.constant(0);
        for (LayerNode node : countedLayers(kind)) {
            total = alg.plus(total, CostFormula.of(node, kind, alg));
        }
        return OwnedArrays.dividedBy(total, full(kind));
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
