package io.djlprune.hoyer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.djlprune.graph.ChannelGraph;
import io.djlprune.ndarray.OwnedArrays;
import io.djlprune.regularize.ChannelWeights;
import io.djlprune.regularize.Regularizer;
import java.util.List;

/**
 * DeepHoyer's element-wise sparsity measure, Hoyer-Square: {@code HS(W) = (Σ|w|)² / Σw²}. It lies in
 * {@code [1, n]} for a tensor of n entries (k equal non-zeros give exactly k), is invariant to the scale of W, and
 * serves as a differentiable surrogate of the number of non-zeros: its gradient shrinks entries below
 * {@code ‖W‖₂²/‖W‖₁} and grows those above.
 *
 * <p>As a {@link Regularizer} it sums HS over the weight tensor of every convolution and linear layer of a graph, as
 * the reference implementation does for element-wise pruning.
 */
public final class HoyerSquare implements Regularizer {

    private final List<LayerWeight> weights;

    /**
     * Creates the regulariser over every convolution and linear weight of a graph.
     *
     * @param graph the channel graph of an initialised network
     * @throws IllegalArgumentException if the network has no convolution or linear layer
     */
    public HoyerSquare(ChannelGraph graph) {
        this.weights = LayerWeight.of(graph);
    }

    /**
     * Computes HS of one tensor, differentiably. An all-zero tensor gives 0 with a zero gradient instead of 0/0:
     * the denominator is bounded below by the smallest normal float, far below any non-zero Σw² that matters.
     *
     * @param weight any tensor
     * @return a scalar of the tensor's data type, belonging to the tensor's manager
     */
    public static NDArray of(NDArray weight) {
        NDArray l1 = weight.abs().sum();
        return l1.mul(l1).div(OwnedArrays.atLeast(weight.square().sum(), Float.MIN_NORMAL));
    }

    /** {@inheritDoc} */
    @Override
    public String getName() {
        return "hoyer_square";
    }

    /** {@inheritDoc} */
    @Override
    public NDArray evaluate(NDManager manager) {
        try (NDManager scope = manager.newSubManager()) {
            ChannelWeights reader = new ChannelWeights(scope);
            NDArray total = null;
            for (LayerWeight weight : weights) {
                NDArray hs = of(reader.array(weight.node(), "weight"));
                total = total == null ? hs : total.add(hs);
            }
            return scope.ret(total);
        }
    }
}
