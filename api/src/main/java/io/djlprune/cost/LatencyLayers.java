package io.djlprune.cost;

import io.djlprune.graph.ChannelGraph;
import io.djlprune.graph.ChannelLayout;
import io.djlprune.graph.LayerNode;
import io.djlprune.graph.Segment;
import io.djlprune.ops.ActivationOp;
import io.djlprune.ops.BatchNormOp;
import io.djlprune.ops.Conv2dOp;
import io.djlprune.ops.LinearOp;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Finds the parts of a network a channel mask changes, as {@link LatencyLayer}s: every convolution (groups 1) and
 * linear layer with a prunable group on its input or output, each with the BatchNorm that alone reads its output and the
 * activation that alone reads that BatchNorm; and every depthwise convolution or BatchNorm with a prunable group that no
 * such layer owns. Everything else (the layers of fixed groups, activations after a residual add, pooling, the adds
 * themselves) is timed only inside the whole networks of the table's {@link LatencyCalibration}.
 */
public final class LatencyLayers {

    private LatencyLayers() {}

    /**
     * Returns the timed layers of a graph, in execution order of their main layers.
     *
     * @param graph the graph
     * @return the layers
     */
    public static List<LatencyLayer> of(ChannelGraph graph) {
        List<LatencyLayer> result = new ArrayList<>();
        Set<Integer> owned = new HashSet<>();
        for (LayerNode node : graph.layers()) {
            boolean producer = node.op() instanceof LinearOp || node.op() instanceof Conv2dOp conv && conv.groups() == 1;
            if (!producer || !(touched(graph, node.input()) || touched(graph, node.output()))) {
                continue;
            }
            List<Integer> neighbours = neighbours(graph, node);
            owned.addAll(neighbours);
            LatencyLayer.Kind kind = node.op() instanceof LinearOp ? LatencyLayer.Kind.LINEAR : LatencyLayer.Kind.CONV;
            result.add(layer(graph, node, neighbours, kind, node.input().width()));
        }
        for (LayerNode node : graph.layers()) {
            boolean perChannel =
                    node.op() instanceof BatchNormOp || node.op() instanceof Conv2dOp conv && conv.isDepthwise();
            if (!perChannel || owned.contains(node.index()) || !touched(graph, node.output())) {
                continue;
            }
            List<Integer> neighbours = neighbours(graph, node);
            owned.addAll(neighbours);
            result.add(layer(graph, node, neighbours, LatencyLayer.Kind.CHANNELWISE, node.output().width()));
        }
        result.sort((a, b) -> Integer.compare(a.layer(), b.layer()));
        return result;
    }

    private static LatencyLayer layer(
            ChannelGraph graph, LayerNode node, List<Integer> neighbours, LatencyLayer.Kind kind, long inWidth) {
        StringBuilder signature = new StringBuilder();
        signature.append(kind).append('|').append(node.op()).append('|').append(node.inputShape());
        for (int index : neighbours) {
            LayerNode neighbour = graph.layers().get(index);
            signature.append('|').append(neighbour.op().getClass().getSimpleName());
            if (neighbour.op() instanceof ActivationOp activation) {
                signature.append(':').append(activation.kind()).append(':').append(activation.alpha());
            }
        }
        return new LatencyLayer(node.index(), neighbours, kind, inWidth, node.output().width(), signature.toString());
    }

    /**
     * The BatchNorm that alone reads the layer's output (unless the layer is one), then the activation that alone reads
     * the last of them.
     */
    private static List<Integer> neighbours(ChannelGraph graph, LayerNode node) {
        List<Integer> result = new ArrayList<>();
        LayerNode last = node;
        if (!(node.op() instanceof BatchNormOp)) {
            LayerNode reader = soleReader(graph, last);
            if (reader != null && reader.op() instanceof BatchNormOp) {
                result.add(reader.index());
                last = reader;
            }
        }
        LayerNode reader = soleReader(graph, last);
        if (reader != null && reader.op() instanceof ActivationOp) {
            result.add(reader.index());
        }
        return result;
    }

    private static LayerNode soleReader(ChannelGraph graph, LayerNode producer) {
        LayerNode reader = null;
        for (LayerNode node : graph.layers()) {
            if (node.source() == producer.index()) {
                if (reader != null) {
                    return null;
                }
                reader = node;
            }
        }
        return reader;
    }

    private static boolean touched(ChannelGraph graph, ChannelLayout layout) {
        for (Segment segment : layout.segments()) {
            if (graph.group(segment.group()).prunable()) {
                return true;
            }
        }
        return false;
    }
}
