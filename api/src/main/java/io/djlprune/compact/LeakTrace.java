package io.djlprune.compact;

import io.djlprune.graph.LayerNode;
import java.util.Map;

/**
 * What the masked model feeds each consumer (convolution or linear layer) on its input channels, and which layer
 * directly follows each leaf in its {@code SequentialBlock}: what {@link FoldPlanner} needs to fold leaks.
 *
 * @param consumerInputs layer index → the values on the consumer's input channels
 * @param followers layer index → the leaf that takes exactly this leaf's output next, where there is one
 */
record LeakTrace(Map<Integer, ChannelValues> consumerInputs, Map<Integer, LayerNode> followers) {}
