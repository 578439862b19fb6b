package io.djlprune.latency;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.training.ParameterStore;
import io.djlprune.cost.LatencyLayer;
import io.djlprune.cost.LayerTimer;
import io.djlprune.graph.ChannelGraph;
import io.djlprune.graph.LayerNode;
import io.djlprune.ops.ActivationOp;
import io.djlprune.ops.BatchNormOp;
import io.djlprune.ops.Conv2dOp;
import io.djlprune.ops.LinearOp;
import java.util.HashMap;
import java.util.Map;

/**
 * Prepares layers and networks for timing on a device through DJL's PyTorch engine (LibTorch); the
 * {@link io.djlprune.cost.LatencyTableBuilder} runs them interleaved and keeps medians. A layer is timed as the small network it becomes once compacted: a new
 * convolution, linear layer or BatchNorm with the given channels, followed by its BatchNorm and activation, at the
 * input size it has in the network; nothing is masked. Random weights: the time of these ops does not depend on them.
 */
public final class LibTorchLayerTimer implements LayerTimer {

    private final Block network;
    private final NDManager manager;
    private final int batchSize;
    private final Map<Shape, NDArray> inputs = new HashMap<>();

    /**
     * Creates a timer.
     *
     * @param network the initialised dense network, for {@link #network}
     * @param manager the manager whose device is timed; it owns the shared random inputs, each forward its own
     *     sub-manager, and must outlive the forwards
     * @param batchSize the batch size of the timed forwards
     */
    public LibTorchLayerTimer(Block network, NDManager manager, int batchSize) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("The latency batch size must be ≥ 1, got " + batchSize);
        }
        this.network = network;
        this.manager = manager;
        this.batchSize = batchSize;
    }

    /** {@inheritDoc} */
    @Override
    public Forward layer(ChannelGraph graph, LatencyLayer layer, long in, long out) {
        LayerNode node = graph.layers().get(layer.layer());
        SequentialBlock block = new SequentialBlock();
        block.add(main(node, layer.kind(), in, out));
        for (int index : layer.neighbours()) {
            LayerNode neighbour = graph.layers().get(index);
            if (neighbour.op() instanceof BatchNormOp bn) {
                block.add(BatchNorm.builder().optEpsilon(bn.epsilon()).build());
            } else if (neighbour.op() instanceof ActivationOp) {
                block.add(neighbour.block()); // activations hold no parameters and take any channel count
            } else {
                throw new IllegalArgumentException("Cannot time neighbour " + neighbour + " of " + node);
            }
        }
        Shape shape = inputShape(node, in);
        NDManager scope = manager.newSubManager();
        block.initialize(scope, DataType.FLOAT32, shape);
        return new BlockForward(block, scope, input(shape), false);
    }

    /** {@inheritDoc} */
    @Override
    public Forward network(ChannelGraph graph) {
        Shape shape = batched(graph.getInputShape());
        // copies the parameters once if the network lives on another device than the one timed
        return new BlockForward(network, manager.newSubManager(), input(shape), true);
    }

    /** One random input per shape, shared by every forward that reads that shape. */
    private NDArray input(Shape shape) {
        return inputs.computeIfAbsent(shape, manager::randomNormal);
    }

    /** A block's inference forward on a fixed input; each run's arrays are freed with a scope of their own. */
    private static final class BlockForward implements Forward {
        private final Block block;
        private final NDManager scope;
        private final NDArray input;
        private final ParameterStore store;

        BlockForward(Block block, NDManager scope, NDArray input, boolean copyParameters) {
            this.block = block;
            this.scope = scope;
            this.input = input;
            this.store = new ParameterStore(scope, copyParameters);
        }

        @Override
        public double millis() {
            try (NDManager run = scope.newSubManager()) {
                long start = System.nanoTime();
                NDList output = block.forward(store, new NDList(input), false);
                output.attach(run);
                // one value read back: the forward cannot be skipped, and a GPU run is waited for
                output.head().flatten().getFloat(0);
                return (System.nanoTime() - start) / 1e6;
            }
        }

        @Override
        public void close() {
            scope.close();
        }
    }

    private static Block main(LayerNode node, LatencyLayer.Kind kind, long in, long out) {
        if (node.op() instanceof Conv2dOp conv) {
            int groups = conv.isDepthwise() ? (int) out : 1;
            return Conv2d.builder()
                    .setKernelShape(new Shape(conv.kernel()[0], conv.kernel()[1]))
                    .optStride(new Shape(conv.stride()[0], conv.stride()[1]))
                    .optPadding(new Shape(conv.padding()[0], conv.padding()[1]))
                    .optDilation(new Shape(conv.dilation()[0], conv.dilation()[1]))
                    .optGroups(groups)
                    .setFilters(Math.toIntExact(out))
                    .optBias(conv.bias())
                    .build();
        }
        if (node.op() instanceof LinearOp linear) {
            return Linear.builder().setUnits(out).optBias(linear.bias()).build();
        }
        if (node.op() instanceof BatchNormOp bn && kind == LatencyLayer.Kind.CHANNELWISE) {
            return BatchNorm.builder().optEpsilon(bn.epsilon()).build();
        }
        throw new IllegalArgumentException("Cannot time layer " + node + " as a " + kind);
    }

    /** The layer's input shape in the network with the batch size and the kept input width. */
    private Shape inputShape(LayerNode node, long in) {
        long[] dims = node.inputShape().getShape().clone();
        dims[0] = batchSize;
        dims[1] = in;
        return new Shape(dims);
    }

    private Shape batched(Shape single) {
        long[] dims = single.getShape().clone();
        dims[0] = batchSize;
        return new Shape(dims);
    }
}
