package io.djlprune.criteria;

import ai.djl.training.loss.Loss;
import io.djlprune.graph.ChannelGraph;
import io.djlprune.regularize.RegularizedLoss;

/**
 * Network Slimming's training loss, a DJL {@link Loss}: {@code L = base + λ · Σ|γ|} over the BatchNorm scales of
 * the prunable channel groups ({@link BatchNormL1}); λ = 1e-4 by default, the paper's value for VGG on CIFAR.
 * Channels are then ranked by {@link BatchNormScale}. The penalty is a training metric through
 * {@link #regularizerMetric()}.
 */
public final class SlimmingRegularizedLoss extends RegularizedLoss {

    /** The default λ. */
    public static final float DEFAULT_LAMBDA = 1e-4f;

    /**
     * Creates the loss with softmax cross-entropy and λ = 1e-4.
     *
     * @param graph the channel graph of an initialised network
     * @throws IllegalArgumentException if no prunable group passes through a BatchNorm
     */
    public SlimmingRegularizedLoss(ChannelGraph graph) {
        this(graph, Loss.softmaxCrossEntropyLoss(), DEFAULT_LAMBDA);
    }

    /**
     * Creates the loss.
     *
     * @param graph the channel graph of an initialised network
     * @param base the task loss
     * @param lambda λ ≥ 0
     * @throws IllegalArgumentException if λ is negative or not finite, or no prunable group has a BatchNorm
     */
    public SlimmingRegularizedLoss(ChannelGraph graph, Loss base, float lambda) {
        super("SlimmingRegularizedLoss", base, new BatchNormL1(graph), lambda, "slimming λ");
    }
}
