package io.djlprune.hoyer;

import ai.djl.nn.Parameter;
import io.djlprune.graph.ChannelGraph;
import io.djlprune.graph.LayerNode;
import io.djlprune.ops.Conv2dOp;
import io.djlprune.ops.LinearOp;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

/**
 * The weight tensor of one convolution or linear layer, the unit that element-wise Hoyer-Square regularises and
 * element-wise pruning thresholds.
 *
 * @param node the first use of the layer in execution order
 * @param parameter its weight
 */
record LayerWeight(LayerNode node, Parameter parameter) {

    /**
     * Returns the weight of every convolution and linear layer of the graph, each parameter once even when a block is
     * used twice.
     *
     * @param graph the graph
     * @return the weights in execution order
     * @throws IllegalStateException if a layer has no initialised weight
     */
    static List<LayerWeight> of(ChannelGraph graph) {
        Set<Parameter> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        List<LayerWeight> weights = new ArrayList<>();
        for (LayerNode node : graph.layers()) {
            if (!(node.op() instanceof Conv2dOp) && !(node.op() instanceof LinearOp)) {
                continue;
            }
            Parameter weight = node.block().getParameters().get("weight");
            if (weight == null || !weight.isInitialized()) {
                throw new IllegalStateException(node.path() + " has no initialised weight; initialise the model first");
            }
            if (seen.add(weight)) {
                weights.add(new LayerWeight(node, weight));
            }
        }
        if (weights.isEmpty()) {
            throw new IllegalArgumentException("The network has no convolution or linear layer");
        }
        return weights;
    }

    /**
     * Returns the layer's path with the parameter name, e.g. {@code "01Conv2d/weight"}.
     *
     * @return the name used in masks and reports
     */
    String name() {
        return node.path() + "/weight";
    }
}
