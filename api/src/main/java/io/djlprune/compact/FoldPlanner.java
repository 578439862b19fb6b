package io.djlprune.compact;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import io.djlprune.graph.ChannelGraph;
import io.djlprune.graph.ChannelMask;
import io.djlprune.graph.LayerNode;
import io.djlprune.ops.BatchNormOp;
import io.djlprune.ops.Conv2dOp;
import io.djlprune.ops.LinearOp;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Decides, for every consumer, whether the removed channels it reads can be deleted exactly, and how: nothing to do
 * when they are 0; fold {@code Σ W·v} into its bias (or the running mean of the BatchNorm right after it) when they
 * are constants and every output reads them the same way; refuse with the layer's path otherwise.
 */
final class FoldPlanner {

    private final ChannelGraph graph;
    private final ChannelMask mask;
    private final MaskSemantics semantics;
    private final NDManager manager;

    FoldPlanner(ChannelGraph graph, ChannelMask mask, MaskSemantics semantics, NDManager manager) {
        this.graph = graph;
        this.mask = mask;
        this.semantics = semantics;
        this.manager = manager;
    }

    FoldPlan plan(LeakTrace trace) {
        Map<Block, double[]> biasShifts = new IdentityHashMap<>();
        Map<Block, double[]> meanShifts = new IdentityHashMap<>();
        List<LeakFold> folds = new ArrayList<>();
        for (Map.Entry<Integer, ChannelValues> entry : new TreeMap<>(trace.consumerInputs()).entrySet()) {
            LayerNode node = graph.layers().get(entry.getKey());
            AxisPositions axis = AxisPositions.of(node.input());
            List<Integer> leaking = leakingChannels(node, axis, entry.getValue());
            if (leaking.isEmpty()) {
                continue;
            }
            requireUniformWindows(node, axis, leaking, entry.getValue());
            double[] shift = LeakSum.of(node, axis, leaking, entry.getValue(), manager);
            double max = Arrays.stream(shift).map(Math::abs).max().orElse(0);
            if (hasBias(node)) {
                if (record(biasShifts, node.block(), shift, node)) {
                    folds.add(new LeakFold(node.path(), node.path(), LeakFold.Kind.BIAS, leaking.size(), max));
                }
                continue;
            }
            LayerNode bn = trace.followers().get(node.index());
            if (bn == null || !(bn.op() instanceof BatchNormOp) || uses(bn.block()) != 1) {
                throw new InexactCompactionException(
                        node.path(),
                        "removed input channels " + describe(axis, leaking, entry.getValue()) + " add up to "
                                + String.format("%.3g", max) + " to its outputs, but it has no bias and no BatchNorm"
                                + " used only here takes its output directly to absorb that; give it a bias or keep"
                                + " those channels");
            }
            if (record(meanShifts, bn.block(), shift, node)) {
                folds.add(new LeakFold(node.path(), bn.path(), LeakFold.Kind.RUNNING_MEAN, leaking.size(), max));
            }
        }
        return new FoldPlan(biasShifts, meanShifts, List.copyOf(folds));
    }

    /** The removed input positions holding a non-zero constant; refuses a removed channel that varies. */
    private List<Integer> leakingChannels(LayerNode node, AxisPositions axis, ChannelValues values) {
        List<Integer> leaking = new ArrayList<>();
        for (int i = 0; i < axis.size(); i++) {
            if (!axis.removed(i, mask)) {
                continue;
            }
            if (!values.isConstant(i)) {
                throw new InexactCompactionException(
                        node.path(),
                        "removed channel " + axis.channel(i) + " of group " + axis.group(i) + " reaches it as a signal"
                                + " that is not one constant (it varies with the input, or across the map where zero"
                                + " padding met a constant): under " + semantics + " semantics nothing zeroes it before"
                                + " this layer, so deleting it would change the output");
            }
            if (values.get(i) != 0) {
                leaking.add(i);
            }
        }
        return leaking;
    }

    /** A constant channel adds one constant to every output only if every window reads it whole: no zero padding. */
    private static void requireUniformWindows(
            LayerNode node, AxisPositions axis, List<Integer> leaking, ChannelValues values) {
        if (!(node.op() instanceof Conv2dOp conv)) {
            return;
        }
        if (conv.groups() != 1) {
            throw new InexactCompactionException(
                    node.path(), "a grouped convolution reads removed channels " + describe(axis, leaking, values));
        }
        for (int p : conv.padding()) {
            if (p != 0) {
                throw new InexactCompactionException(
                        node.path(),
                        "it is a " + conv.kernel()[0] + "×" + conv.kernel()[1] + " convolution with zero padding "
                                + conv.padding()[0] + "×" + conv.padding()[1] + ", and removed channels "
                                + describe(axis, leaking, values) + " carry non-zero constants into it (what the"
                                + " layers after their zero point make of 0, e.g. sigmoid(0) = 0.5); its border"
                                + " outputs read padding zeros there while inner outputs read the constants, so no"
                                + " bias can absorb them. Keep those channels, or zero them after the activation");
            }
        }
    }

    /** Stores a block's shift; a reused block must get the same shift at every use. Returns true the first time. */
    private static boolean record(Map<Block, double[]> shifts, Block block, double[] shift, LayerNode node) {
        double[] previous = shifts.putIfAbsent(block, shift);
        if (previous == null) {
            return true;
        }
        if (!Arrays.equals(previous, shift)) {
            throw new InexactCompactionException(
                    node.path(), "the block is used more than once and its uses need different leak corrections");
        }
        return false;
    }

    private static boolean hasBias(LayerNode node) {
        return node.op() instanceof LinearOp linear ? linear.bias() : ((Conv2dOp) node.op()).bias();
    }

    private long uses(Block block) {
        return graph.layers().stream().filter(n -> n.block() == block).count();
    }

    private static String describe(AxisPositions axis, List<Integer> leaking, ChannelValues values) {
        StringBuilder text = new StringBuilder();
        int shown = Math.min(leaking.size(), 4);
        for (int k = 0; k < shown; k++) {
            int i = leaking.get(k);
            text.append(k == 0 ? "" : ", ").append('g').append(axis.group(i)).append('[').append(axis.channel(i));
            text.append("]=").append(String.format("%.4g", values.get(i)));
        }
        return text.append(leaking.size() > shown ? " and " + (leaking.size() - shown) + " more" : "").toString();
    }
}
