package io.djlprune.engine;

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

/**
 * Times layers and networks on a device through DJL's PyTorch engine (LibTorch) with a {@link LatencyProbe} (warm-up,
 * then the median of repeated forwards). A layer is timed as the small network it becomes once compacted: a new
 * convolution, linear layer or BatchNorm with the given channels, followed by its BatchNorm and activation, at the
 * input size it has in the network; nothing is masked. Random weights: the time of these ops does not depend on them.
 */
public final class LibTorchLayerTimer implements LayerTimer {

    private final Block network;
    private final NDManager manager;
    private final int batchSize;
    private final LatencyProbe probe;

    /**
     * Creates a timer.
     *
     * @param network the initialised dense network, for {@link #networkMillis}
     * @param manager the manager whose device is timed; each measurement works in a sub-manager it closes
     * @param batchSize the batch size of the timed forwards
     * @param probe how many warm-up and timed forwards
     */
    public LibTorchLayerTimer(Block network, NDManager manager, int batchSize, LatencyProbe probe) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("The latency batch size must be ≥ 1, got " + batchSize);
        }
        this.network = network;
        this.manager = manager;
        this.batchSize = batchSize;
        this.probe = probe;
    }

    /** {@inheritDoc} */
    @Override
    public double layerMillis(ChannelGraph graph, LatencyLayer layer, long in, long out) {
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
        Shape input = inputShape(node, in);
        try (NDManager scope = manager.newSubManager()) {
            block.initialize(scope, DataType.FLOAT32, input);
            ParameterStore store = new ParameterStore(scope, false);
            return probe.measure(x -> block.forward(store, x, false), scope, input).medianMs();
        }
    }

    /** {@inheritDoc} */
    @Override
    public double networkMillis(ChannelGraph graph) {
        Shape input = batched(graph.getInputShape());
        try (NDManager scope = manager.newSubManager()) {
            ParameterStore store = new ParameterStore(scope, false);
            return probe.measure((NDList x) -> network.forward(store, x, false), scope, input).medianMs();
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
