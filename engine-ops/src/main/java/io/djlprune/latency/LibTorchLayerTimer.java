package io.djlprune.latency;

import ai.djl.MalformedModelException;
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
import io.djlprune.compact.Compactor;
import io.djlprune.cost.LatencyLayer;
import io.djlprune.cost.LayerTimer;
import io.djlprune.engine.LoadedTorchScript;
import io.djlprune.export.TorchScriptWriter;
import io.djlprune.graph.ChannelGraph;
import io.djlprune.graph.ChannelMask;
import io.djlprune.graph.LayerNode;
import io.djlprune.io.AtomicFiles;
import io.djlprune.ops.ActivationOp;
import io.djlprune.ops.BatchNormOp;
import io.djlprune.ops.Conv2dOp;
import io.djlprune.ops.LinearOp;
import io.djlprune.ops.OpClassifier;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Prepares layers and networks for timing on a device in the runtime that serves a pruned model: each is written as a
 * TorchScript archive ({@link TorchScriptWriter}, the writer of every exported {@code model.pt}) and loaded back through
 * LibTorch ({@link LoadedTorchScript}); the {@link io.djlprune.cost.LatencyTableBuilder} runs them interleaved and keeps
 * medians. A layer is timed as the small network it becomes once compacted: a new convolution, linear layer or
 * BatchNorm with the given channels, followed by its BatchNorm and activation, at the input size it has in the
 * network; nothing is masked. Random weights: the time of these ops does not depend on them. Close the timer to delete
 * its archives.
 */
public final class LibTorchLayerTimer implements LayerTimer, AutoCloseable {

    private final Block network;
    private final NDManager manager;
    private final int batchSize;
    private final OpClassifier classifier;
    private final Path folder;
    private final Map<Shape, NDArray> inputs = new HashMap<>();
    private int archives;

    /**
     * Creates a timer.
     *
     * @param network the initialised dense network, for {@link #network}
     * @param classifier the classifier that describes the network's blocks (the one its graph was built with)
     * @param manager the manager whose device is timed; it owns the shared random inputs and must outlive the forwards
     * @param batchSize the batch size of the timed forwards
     * @throws IOException if the folder for the archives cannot be created
     */
    public LibTorchLayerTimer(Block network, OpClassifier classifier, NDManager manager, int batchSize)
            throws IOException {
        if (batchSize < 1) {
            throw new IllegalArgumentException("The latency batch size must be ≥ 1, got " + batchSize);
        }
        this.network = network;
        this.classifier = classifier;
        this.manager = manager;
        this.batchSize = batchSize;
        this.folder = Files.createTempDirectory("djl-prune-latency");
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
        try (NDManager scope = manager.newSubManager()) {
            Shape single = withBatch(shape, 1);
            block.initialize(scope, DataType.FLOAT32, single);
            return scripted(block, single, shape);
        }
    }

    /** {@inheritDoc} */
    @Override
    public Forward network(ChannelGraph graph, ChannelMask mask) {
        Shape single = withBatch(graph.getInputShape(), 1);
        if (mask.equals(ChannelMask.full(graph))) {
            return scripted(network, single, withBatch(single, batchSize));
        }
        Compactor compactor = Compactor.builder().setClassifier(classifier).build();
        try (NDManager scope = manager.newSubManager()) {
            Block compact = compactor.compact(scope, network, graph, mask).block();
            return scripted(compact, single, withBatch(single, batchSize));
        }
    }

    /** Deletes the archives; close the forwards first. */
    @Override
    public void close() {
        try {
            AtomicFiles.deleteTree(folder);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not delete the latency archives in " + folder, e);
        }
    }

    private Forward scripted(Block block, Shape single, Shape batch) {
        Path file = folder.resolve("sample-" + archives++ + ".pt");
        try {
            TorchScriptWriter.write(block, single, classifier, file);
            return new ScriptForward(LoadedTorchScript.load(file, manager.getDevice()), input(batch));
        } catch (IOException e) {
            throw new UncheckedIOException("Could not write or read the TorchScript archive " + file, e);
        } catch (MalformedModelException e) {
            throw new IllegalStateException("LibTorch refused the TorchScript archive " + file, e);
        }
    }

    /** One random input per shape, shared by every forward that reads that shape. */
    private NDArray input(Shape shape) {
        return inputs.computeIfAbsent(shape, manager::randomNormal);
    }

    /** A loaded module's forward on a fixed input; each run's arrays are freed with a scope of their own. */
    private static final class ScriptForward implements Forward {
        private final LoadedTorchScript script;
        private final NDArray input;

        ScriptForward(LoadedTorchScript script, NDArray input) {
            this.script = script;
            this.input = input;
        }

        @Override
        public double millis() {
            try (NDManager run = input.getManager().newSubManager()) {
                // lent to the run's scope, so the output is freed with it
                input.tempAttach(run);
                long start = System.nanoTime();
                NDList output = script.predict(new NDList(input));
                output.attach(run);
                // one value read back: the forward cannot be skipped, and a GPU run is waited for
                output.head().flatten().getFloat(0);
                return (System.nanoTime() - start) / 1e6;
            }
        }

        @Override
        public void close() {
            script.close();
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

    private static Shape withBatch(Shape shape, long batch) {
        long[] dims = shape.getShape().clone();
        dims[0] = batch;
        return new Shape(dims);
    }

    /** The layer's input shape in the network with the batch size and the kept input width. */
    private Shape inputShape(LayerNode node, long in) {
        long[] dims = node.inputShape().getShape().clone();
        dims[0] = batchSize;
        dims[1] = in;
        return new Shape(dims);
    }

}
