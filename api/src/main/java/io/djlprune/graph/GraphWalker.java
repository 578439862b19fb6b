package io.djlprune.graph;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.ParallelBlock;
import ai.djl.nn.SequentialBlock;
import ai.djl.util.Pair;
import io.djlprune.ops.BatchNormOp;
import io.djlprune.ops.Conv2dOp;
import io.djlprune.ops.FlattenOp;
import io.djlprune.ops.JoinOp;
import io.djlprune.ops.LinearOp;
import io.djlprune.ops.Op;
import io.djlprune.ops.OpClassifier;
import io.djlprune.ops.UnflattenOp;
import io.djlprune.ops.UnsupportedBlockException;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Walks a DJL block tree in execution order, propagating the channel layout of axis 1 through every layer with shape
 * inference, and ties channel groups where a residual add or a reused block forces it. Containers are
 * {@code SequentialBlock} and {@code ParallelBlock}; everything else is a leaf that the {@link OpClassifier} must
 * describe, or the walk stops with its path.
 */
final class GraphWalker {

    private final OpClassifier classifier;
    private final GroupUnion groups = new GroupUnion();
    private final List<LayerNode> nodes = new ArrayList<>();
    private final Map<Block, LayerNode> firstUse = new IdentityHashMap<>();
    /** The layer whose output the walk currently carries; −1 for the network input or a join's output. */
    private int source = -1;

    GraphWalker(OpClassifier classifier) {
        this.classifier = classifier;
    }

    GroupUnion groups() {
        return groups;
    }

    List<LayerNode> nodes() {
        return nodes;
    }

    ChannelLayout walk(Block block, String path, Shape input, ChannelLayout layout) {
        if (block instanceof SequentialBlock) {
            Shape shape = input;
            for (Pair<String, Block> child : block.getChildren()) {
                String childPath = join(path, child.getKey());
                layout = walk(child.getValue(), childPath, shape, layout);
                shape = child.getValue().getOutputShapes(new Shape[] {shape})[0];
            }
            return layout;
        }
        if (block instanceof ParallelBlock parallel) {
            return walkParallel(parallel, path, input, layout);
        }
        return walkLeaf(block, path, input, layout);
    }

    private ChannelLayout walkParallel(ParallelBlock block, String path, Shape input, ChannelLayout layout) {
        List<ChannelLayout> outputs = new ArrayList<>();
        List<Shape> shapes = new ArrayList<>();
        int branchSource = source;
        for (Pair<String, Block> child : block.getChildren()) {
            source = branchSource;
            outputs.add(walk(child.getValue(), join(path, child.getKey()), input, layout));
            shapes.add(child.getValue().getOutputShapes(new Shape[] {input})[0]);
        }
        if (outputs.isEmpty()) {
            throw new UnsupportedBlockException(path, type(block), "a ParallelBlock without branches");
        }
        JoinOp join = classifier.classifyJoin(block, shapes.toArray(new Shape[0]), path);
        source = -1;
        if (join.kind() == JoinOp.Kind.CONCAT && join.axis() == 1) {
            return ChannelLayout.concat(outputs);
        }
        // A sum, or a concatenation along another axis, lines the branches' channels up one to one.
        for (int i = 1; i < outputs.size(); i++) {
            tie(outputs.get(0), outputs.get(i), block, path);
        }
        return outputs.get(0);
    }

    private ChannelLayout walkLeaf(Block block, String path, Shape input, ChannelLayout layout) {
        Op op = classifier.classify(block, input, path);
        Shape output = block.getOutputShapes(new Shape[] {input})[0];
        if (input.dimension() >= 2 && layout.width() != input.get(1)) {
            throw new UnsupportedBlockException(
                    path, type(block), "its input has " + input.get(1) + " channels but the graph traced " + layout);
        }
        LayerNode first = firstUse.get(block);
        ChannelLayout result;
        if (op instanceof Conv2dOp conv) {
            result = convOutput(conv, block, path, layout, first);
        } else if (op instanceof LinearOp linear) {
            if (input.dimension() != 2) {
                throw new UnsupportedBlockException(
                        path, type(block), "a linear layer on a " + input.dimension() + "-D input " + input);
            }
            result = first != null ? first.output() : ChannelLayout.whole(newGroup((int) linear.outFeatures()), (int) linear.outFeatures());
            if (first != null) {
                tie(first.input(), layout, block, path);
            }
        } else if (op instanceof FlattenOp) {
            long spatial = 1;
            for (int axis = 2; axis < input.dimension(); axis++) {
                spatial *= input.get(axis);
            }
            result = layout.flatten(spatial);
        } else if (op instanceof UnflattenOp unflatten) {
            for (Segment segment : layout.segments()) {
                if (segment.multiplier() != 1) {
                    throw new UnsupportedBlockException(path, type(block), "a reshape into maps of flattened features");
                }
                if (!unflatten.generic()) {
                    groups.fix(segment.group(), "reshape with a built-in channel count at " + path);
                }
            }
            result = layout;
        } else if (op instanceof JoinOp) {
            throw new UnsupportedBlockException(path, type(block), "a join outside a ParallelBlock");
        } else {
            // BatchNorm, activations, pooling, dropout, identity: each channel maps to itself.
            if (first != null && op instanceof BatchNormOp) {
                tie(first.input(), layout, block, path);
            }
            result = layout;
        }
        LayerNode node = new LayerNode(nodes.size(), source, path, block, op, input, output, layout, result);
        nodes.add(node);
        source = node.index();
        firstUse.putIfAbsent(block, node);
        return result;
    }

    private ChannelLayout convOutput(Conv2dOp conv, Block block, String path, ChannelLayout layout, LayerNode first) {
        if (first != null) {
            tie(first.input(), layout, block, path);
            return conv.isDepthwise() ? layout : first.output();
        }
        if (conv.groups() == 1) {
            return ChannelLayout.whole(newGroup(conv.outChannels()), conv.outChannels());
        }
        if (conv.isDepthwise()) {
            for (Segment segment : layout.segments()) {
                if (segment.multiplier() != 1) {
                    throw new UnsupportedBlockException(path, type(block), "a depthwise conv on flattened features");
                }
            }
            return layout;
        }
        // Grouped convolutions mix channels within each group; slicing them is not proven, so nothing is pruned.
        String reason = "grouped convolution at " + path;
        for (Segment segment : layout.segments()) {
            groups.fix(segment.group(), reason);
        }
        return ChannelLayout.whole(groups.add(conv.outChannels(), reason), conv.outChannels());
    }

    private int newGroup(int channels) {
        return groups.add(channels, null);
    }

    /** Ties two layouts of the same axis channel by channel, or refuses when they do not line up. */
    private void tie(ChannelLayout a, ChannelLayout b, Block block, String path) {
        boolean aligned = a.segments().size() == b.segments().size();
        for (int i = 0; aligned && i < a.segments().size(); i++) {
            Segment sa = a.segments().get(i);
            Segment sb = b.segments().get(i);
            aligned =
                    sa.count() == sb.count()
                            && sa.multiplier() == sb.multiplier()
                            && sa.start() == 0
                            && sb.start() == 0
                            && groups.size(sa.group()) == sa.count()
                            && groups.union(sa.group(), sb.group());
        }
        if (!aligned) {
            throw new UnsupportedBlockException(
                    path,
                    type(block),
                    "its inputs must share channels one to one, but they carry " + a + " and " + b);
        }
    }

    static String join(String parent, String child) {
        return parent.isEmpty() ? child : parent + "/" + child;
    }

    static String type(Block block) {
        return block.getClass().getName();
    }
}
