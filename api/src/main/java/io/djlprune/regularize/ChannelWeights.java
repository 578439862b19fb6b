package io.djlprune.regularize;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.nn.Parameter;
import io.djlprune.graph.ChannelGroup;
import io.djlprune.graph.ChannelLayout;
import io.djlprune.graph.LayerNode;
import io.djlprune.graph.Segment;
import io.djlprune.ops.BatchNormOp;
import io.djlprune.ops.Conv2dOp;
import io.djlprune.ops.LinearOp;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * Reads a network's weights per channel of a {@link ChannelGroup}, as differentiable NDArray expressions of shape
 * {@code (C)}. Two kinds of weight groups belong to channel {@code c}:
 *
 * <ul>
 *   <li>its <b>filter group</b>: every weight that produces {@code c} — row {@code c} of each producing convolution or
 *       linear layer (all tied producers of a residual group together), row {@code c} of each depthwise convolution
 *       it passes through, and {@code γ_c} of each BatchNorm it passes through. γ belongs here because a BatchNorm
 *       normalises away the scale of the convolution in front of it: without γ a regulariser could shrink a filter
 *       at no cost to the task loss and the channel would still be alive;
 *   <li>its <b>channel group</b>: every consumer weight that reads {@code c} — input slice {@code c} of each consuming
 *       convolution, features {@code [c·k, (c+1)·k)} of each linear layer reading it through a flatten of
 *       {@code k = H·W} positions.
 * </ul>
 *
 * <p>One instance serves one computation. It attaches each parameter array it reads to its scope once (DJL's
 * {@code tempAttach}), so every intermediate lands in the scope and is freed with it, and the parameters return to
 * their own manager when the scope closes.
 */
public final class ChannelWeights {

    private final NDManager scope;
    private final Set<NDArray> attached = Collections.newSetFromMap(new IdentityHashMap<>());

    /**
     * Creates a reader whose results live in {@code scope}.
     *
     * @param scope a manager on the parameters' device, closed by the caller after the computation
     */
    public ChannelWeights(NDManager scope) {
        this.scope = scope;
    }

    /**
     * Returns Σ w² of each channel's filter group: producers' rows, depthwise members' rows and BatchNorm γ.
     *
     * @param group the channel group
     * @return shape {@code (C)}
     * @throws IllegalArgumentException if the group has no producing or per-channel layer
     */
    public NDArray filterSquares(ChannelGroup group) {
        List<NDArray> parts = new ArrayList<>();
        for (LayerNode producer : group.producers()) {
            parts.add(outputSums(producer, "weight", group, NDArray::square));
        }
        for (LayerNode member : group.members()) {
            String parameter = member.op() instanceof BatchNormOp ? "gamma" : "weight";
            parts.add(outputSums(member, parameter, group, NDArray::square));
        }
        if (parts.isEmpty()) {
            throw new IllegalArgumentException("Group " + group.id() + " has no weights that produce its channels");
        }
        return sum(parts);
    }

    /**
     * Returns Σ w² of each channel's channel group: the input slices of every consumer.
     *
     * @param group the channel group
     * @return shape {@code (C)}
     * @throws IllegalArgumentException if no layer reads the group
     */
    public NDArray channelSquares(ChannelGroup group) {
        return consumerSums(group, NDArray::square);
    }

    /**
     * Returns Σ f(w) over each channel's rows of the producing layers only (no BatchNorm, no depthwise member), as
     * filter-norm criteria define it.
     *
     * @param group the channel group
     * @param f an element-wise function such as {@code NDArray::abs}
     * @return shape {@code (C)}
     * @throws IllegalArgumentException if the group has no producer
     */
    public NDArray producerSums(ChannelGroup group, UnaryOperator<NDArray> f) {
        List<NDArray> parts = new ArrayList<>();
        for (LayerNode producer : group.producers()) {
            parts.add(outputSums(producer, "weight", group, f));
        }
        if (parts.isEmpty()) {
            throw new IllegalArgumentException("Group " + group.id() + " has no producing layer");
        }
        return sum(parts);
    }

    /**
     * Returns Σ f(w) over each channel's input slices of every consumer.
     *
     * @param group the channel group
     * @param f an element-wise function
     * @return shape {@code (C)}
     * @throws IllegalArgumentException if no layer reads the group
     */
    public NDArray consumerSums(ChannelGroup group, UnaryOperator<NDArray> f) {
        List<NDArray> parts = new ArrayList<>();
        for (LayerNode consumer : group.consumers()) {
            parts.add(inputSums(consumer, group, f));
        }
        if (parts.isEmpty()) {
            throw new IllegalArgumentException("No layer reads the channels of group " + group.id());
        }
        return sum(parts);
    }

    /**
     * Returns Σ f(p) over the entries of a parameter that belong to each output channel of the group: axis 0 of the
     * parameter follows the layer's output layout (a weight's rows, a BatchNorm's γ).
     *
     * @param node the layer
     * @param parameter the parameter's name, e.g. {@code "weight"} or {@code "gamma"}
     * @param group the channel group, which must appear on the layer's output
     * @param f an element-wise function
     * @return shape {@code (C)}
     */
    public NDArray outputSums(LayerNode node, String parameter, ChannelGroup group, UnaryOperator<NDArray> f) {
        NDArray values = f.apply(array(node, parameter));
        NDArray perPosition = values.getShape().dimension() == 1 ? values : values.sum(axesExcept(values, 0));
        return perChannel(perPosition, node.output(), group, node, parameter);
    }

    /**
     * Returns Σ f(w) over the weight columns of a consumer that read each channel of the group: axis 1 of a
     * convolution's or linear layer's weight follows the layer's input layout.
     *
     * @param node a convolution with one group, or a linear layer
     * @param group the channel group, which must appear on the layer's input
     * @param f an element-wise function
     * @return shape {@code (C)}
     * @throws IllegalStateException if the layer's weight does not follow its input layout
     */
    public NDArray inputSums(LayerNode node, ChannelGroup group, UnaryOperator<NDArray> f) {
        boolean plainConv = node.op() instanceof Conv2dOp conv && conv.groups() == 1;
        if (!plainConv && !(node.op() instanceof LinearOp)) {
            throw new IllegalStateException(
                    node.path() + " (" + node.op() + ") is not a convolution with one group or a linear layer, so its"
                            + " weight's axis 1 is not its input channels");
        }
        NDArray values = f.apply(array(node, "weight"));
        return perChannel(values.sum(axesExcept(values, 1)), node.input(), group, node, "weight");
    }

    /**
     * Returns a parameter's array, attached to this reader's scope for the computation.
     *
     * @param node the layer
     * @param name the parameter's name
     * @return the array itself (not a copy), so results are differentiable with respect to it
     * @throws IllegalStateException if the layer has no such initialised parameter or it lives on another device
     */
    public NDArray array(LayerNode node, String name) {
        NDArray array = parameter(node, name).getArray();
        if (!array.getDevice().equals(scope.getDevice())) {
            throw new IllegalStateException(
                    "Parameter " + node.path() + "/" + name + " lives on " + array.getDevice() + " but the computation"
                            + " runs on " + scope.getDevice() + "; regularisers and criteria read parameters directly"
                            + " and support one device only");
        }
        if (attached.add(array)) {
            // once per array: a second tempAttach would record this scope as the array's home and orphan it
            scope.tempAttachAll(array);
        }
        return array;
    }

    /**
     * Returns a layer's initialised parameter.
     *
     * @param node the layer
     * @param name the parameter's name
     * @return the parameter
     * @throws IllegalStateException if the layer has no such initialised parameter
     */
    public static Parameter parameter(LayerNode node, String name) {
        Parameter parameter = node.block().getParameters().get(name);
        if (parameter == null || !parameter.isInitialized()) {
            throw new IllegalStateException(
                    node.path() + " has no initialised parameter '" + name + "'; initialise the model first");
        }
        return parameter;
    }

    /** Gathers the positions of a layout that belong to the group into one value per channel, in channel order. */
    private static NDArray perChannel(
            NDArray perPosition, ChannelLayout layout, ChannelGroup group, LayerNode node, String parameter) {
        if (layout.width() != perPosition.size()) {
            throw new IllegalStateException(
                    node.path() + "/" + parameter + " has " + perPosition.size() + " entries along the channel axis but"
                            + " the layout " + layout + " is " + layout.width() + " wide");
        }
        List<long[]> pieces = new ArrayList<>(); // {start, count, offset, multiplier}
        long offset = 0;
        for (Segment s : layout.segments()) {
            if (s.group() == group.id()) {
                pieces.add(new long[] {s.start(), s.count(), offset, s.multiplier()});
            }
            offset += s.width();
        }
        pieces.sort(Comparator.comparingLong(p -> p[0]));
        long next = 0;
        NDList parts = new NDList();
        for (long[] p : pieces) {
            if (p[0] != next) {
                throw new IllegalStateException(
                        node.path() + " sees channels of group " + group.id() + " in runs that do not cover each"
                                + " channel once: " + layout);
            }
            NDArray run = perPosition.get(new NDIndex().addSliceDim(p[2], p[2] + p[1] * p[3]));
            parts.add(p[3] == 1 ? run : run.reshape(p[1], p[3]).sum(new int[] {1}));
            next += p[1];
        }
        if (next != group.size()) {
            throw new IllegalStateException(
                    node.path() + " sees " + next + " of the " + group.size() + " channels of group " + group.id()
                            + " in " + layout);
        }
        return parts.size() == 1 ? parts.head() : NDArrays.concat(parts);
    }

    private static int[] axesExcept(NDArray array, int kept) {
        int rank = array.getShape().dimension();
        int[] axes = new int[rank - 1];
        for (int axis = 0, i = 0; axis < rank; axis++) {
            if (axis != kept) {
                axes[i++] = axis;
            }
        }
        return axes;
    }

    private static NDArray sum(List<NDArray> parts) {
        NDArray total = parts.get(0);
        for (int i = 1; i < parts.size(); i++) {
            total = total.add(parts.get(i));
        }
        return total;
    }
}
