package io.djlprune.compact;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.ParallelBlock;
import ai.djl.util.Pair;
import io.djlprune.graph.ChannelGraph;
import io.djlprune.graph.ChannelMask;
import io.djlprune.graph.LayerNode;
import io.djlprune.ops.Conv2dOp;
import io.djlprune.ops.FlattenOp;
import io.djlprune.ops.UnflattenOp;
import io.djlprune.ops.JoinOp;
import io.djlprune.ops.LinearOp;
import io.djlprune.ops.OpClassifier;
import io.djlprune.ops.UnsupportedBlockException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Follows what every removed channel carries through the masked model, in tree order: varying until a zero point of
 * the {@link MaskSemantics} makes it 0, then through each per-channel layer by {@link ConstantProbe}, through joins
 * by their algebra, until a consumer reads it. Records every consumer's input values.
 */
final class LeakTracer {

    private final ChannelMask mask;
    private final ZeroPoints zeros;
    private final ConstantProbe probe;
    private final OpClassifier classifier;
    private final LeafCursor cursor;
    private final Map<Integer, ChannelValues> consumerInputs = new HashMap<>();
    private final Map<Integer, LayerNode> followers = new HashMap<>();
    private LayerNode lastLeaf;

    LeakTracer(ChannelGraph graph, ChannelMask mask, ZeroPoints zeros, ConstantProbe probe, OpClassifier classifier) {
        this.mask = mask;
        this.zeros = zeros;
        this.probe = probe;
        this.classifier = classifier;
        this.cursor = new LeafCursor(graph);
    }

    LeakTrace trace(Block dense, Shape inputShape) {
        walk(dense, "", inputShape, ChannelValues.varying((int) inputShape.get(1)));
        cursor.finish();
        return new LeakTrace(Map.copyOf(consumerInputs), Map.copyOf(followers));
    }

    private ChannelValues walk(Block block, String path, Shape input, ChannelValues values) {
        switch (Containers.kind(block, path)) {
            case SEQUENTIAL:
                Shape shape = input;
                LayerNode previous = null;
                for (Pair<String, Block> child : block.getChildren()) {
                    String childPath = Containers.join(path, child.getKey());
                    boolean leaf = Containers.kind(child.getValue(), childPath) == Containers.Kind.LEAF;
                    values = walk(child.getValue(), childPath, shape, values);
                    // Only a leaf right after a leaf takes exactly its output; a container mixes other paths in.
                    LayerNode current = leaf ? lastLeaf : null;
                    if (previous != null && current != null) {
                        followers.put(previous.index(), current);
                    }
                    previous = current;
                    shape = child.getValue().getOutputShapes(new Shape[] {shape})[0];
                }
                return values;
            case PARALLEL:
                return walkParallel((ParallelBlock) block, path, input, values);
            default:
                return walkLeaf(block, path, values);
        }
    }

    private ChannelValues walkParallel(ParallelBlock block, String path, Shape input, ChannelValues values) {
        List<ChannelValues> outputs = new ArrayList<>();
        List<Shape> shapes = new ArrayList<>();
        for (Pair<String, Block> child : block.getChildren()) {
            outputs.add(walk(child.getValue(), Containers.join(path, child.getKey()), input, values));
            shapes.add(child.getValue().getOutputShapes(new Shape[] {input})[0]);
        }
        JoinOp join = classifier.classifyJoin(block, shapes.toArray(new Shape[0]), path);
        if (join.kind() == JoinOp.Kind.ADD) {
            return ChannelValues.sum(outputs);
        }
        return join.axis() == 1 ? ChannelValues.concat(outputs) : ChannelValues.agree(outputs);
    }

    private ChannelValues walkLeaf(Block block, String path, ChannelValues values) {
        LayerNode node = cursor.next(block, path);
        lastLeaf = node;
        ChannelValues output;
        if (node.op() instanceof LinearOp || node.op() instanceof Conv2dOp conv && !conv.isDepthwise()) {
            consumerInputs.put(node.index(), values);
            output = ChannelValues.varying(AxisPositions.of(node.output()).size());
        } else if (node.op() instanceof FlattenOp || node.op() instanceof UnflattenOp) {
            output = values; // the same channels, as runs of features or as 1×1 maps
        } else if (node.op() instanceof JoinOp) {
            throw new UnsupportedBlockException(path, block.getClass().getName(), "a join outside a ParallelBlock");
        } else {
            // BatchNorm, depthwise convolution, activations, pooling, dropout, identity act on each channel alone.
            output = probe.through(node, values);
        }
        return output.zeroRemoved(AxisPositions.of(node.output()), mask, zeros.after(block));
    }
}
