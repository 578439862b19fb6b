package io.djlprune.benchmarks;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import io.djlprune.compact.CompactionResult;
import io.djlprune.compact.Compactor;
import io.djlprune.cost.Budget;
import io.djlprune.cost.BudgetKind;
import io.djlprune.cost.CostModel;
import io.djlprune.graph.ChannelGraph;
import io.djlprune.graph.ChannelGroup;
import io.djlprune.graph.ChannelMask;
import io.djlprune.mask.ChannelOrder;
import io.djlprune.mask.MaskSelector;
import java.util.Locale;
import io.djlprune.ops.OpClassifier;
import io.djlprune.zoo.model.ModelCatalog;

/**
 * The networks the benchmarks time: catalog models with random weights and random BatchNorm statistics (so no layer
 * is an identity the kernels could shortcut), their L1 masks at a FLOPs budget and their compacted forms.
 */
public final class BenchModels {

    /** The input the benchmarks trace and time with: one 28×28 grey image (Fashion-MNIST's shape). */
    public static final Shape INPUT = new Shape(1, 1, 28, 28);

    /** The class count of the classifier head. */
    public static final int CLASSES = 10;

    private BenchModels() {}

    /**
     * Builds and initialises a catalog model with seeded random weights and BatchNorm statistics.
     *
     * @param name a catalog name, e.g. resnet20
     * @param manager owns the parameters
     * @param seed the engine's random seed
     * @return the initialised dense block
     */
    public static Block randomDense(String name, NDManager manager, long seed) {
        Block block = ModelCatalog.build(name, CLASSES);
        manager.getEngine().setRandomSeed((int) seed);
        block.initialize(manager, DataType.FLOAT32, INPUT);
        for (Pair<String, Parameter> entry : block.getParameters()) {
            NDArray array = entry.getValue().getArray();
            Shape shape = array.getShape();
            // Defaults (mean 0, variance 1, γ 1, β 0) would make every BatchNorm an identity.
            switch (entry.getValue().getName()) {
                case "runningVar" -> array.muli(manager.randomUniform(0.5f, 2f, shape));
                case "runningMean" -> array.addi(manager.randomNormal(0f, 0.3f, shape, DataType.FLOAT32));
                case "gamma" -> array.muli(manager.randomUniform(0.5f, 1.5f, shape));
                case "beta", "bias" -> array.addi(manager.randomNormal(0f, 0.2f, shape, DataType.FLOAT32));
                default -> { }
            }
        }
        return block;
    }

    /**
     * Builds the channel graph of an initialised network for {@link #INPUT}.
     *
     * @param dense the network
     * @param classifier describes its blocks
     * @return the graph
     */
    public static ChannelGraph graph(Block dense, OpClassifier classifier) {
        return ChannelGraph.builder().setInputShape(INPUT).setClassifier(classifier).build(dense);
    }

    /**
     * Parses a benchmark's mask-order parameter: a {@link ChannelOrder} key such as {@code global} (lowest L1 norm
     * first) or {@code volume} (lowest norm per activation volume saved first), optionally followed by {@code -rN} to
     * keep multiples of N channels, e.g. {@code volume-r16}.
     *
     * @param order the parameter
     * @return the selector it names
     */
    public static MaskSelector selector(String order) {
        String[] parts = order.toLowerCase(Locale.ROOT).split("-r", 2);
        MaskSelector.Builder builder = MaskSelector.builder().optOrder(ChannelOrder.parse(parts[0]));
        if (parts.length == 2) {
            try {
                builder.optRoundTo(Integer.parseInt(parts[1]));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("order '" + order + "': -r must be followed by a channel count", e);
            }
        }
        return builder.build();
    }

    /**
     * Selects the mask that keeps at most {@code flops} of the network's FLOPs, giving up the channels with the
     * lowest (mean-normalised) L1 filter norms first.
     *
     * @param graph the graph of an initialised network
     * @param flops the kept FLOPs fraction, in (0, 1]
     * @return the mask
     */
    public static ChannelMask l1Mask(ChannelGraph graph, double flops) {
        return l1Mask(graph, flops, MaskSelector.builder().build());
    }

    /**
     * Selects the mask at a FLOPs budget from L1 filter norms with the given selector.
     *
     * @param graph the graph of an initialised network
     * @param flops the kept FLOPs fraction, in (0, 1]
     * @param selector the selector, e.g. from {@link #selector(String)}
     * @return the mask
     */
    public static ChannelMask l1Mask(ChannelGraph graph, double flops, MaskSelector selector) {
        return selector.select(new CostModel(graph), new Budget(BudgetKind.FLOPS, flops), L1FilterNorms.scores(graph));
    }

    /**
     * Compacts a network under its L1 mask at a FLOPs budget.
     *
     * @param manager owns the compact network's parameters
     * @param dense the initialised network, left unchanged
     * @param classifier describes its blocks
     * @param flops the kept FLOPs fraction, in (0, 1)
     * @return the compaction result; its block is initialised for {@link #INPUT}
     */
    public static CompactionResult compact(NDManager manager, Block dense, OpClassifier classifier, double flops) {
        return compact(manager, dense, classifier, flops, MaskSelector.builder().build());
    }

    /**
     * Compacts a network under the L1 mask a selector picks at a FLOPs budget.
     *
     * @param manager owns the compact network's parameters
     * @param dense the initialised network, left unchanged
     * @param classifier describes its blocks
     * @param flops the kept FLOPs fraction, in (0, 1)
     * @param selector the selector
     * @return the compaction result; its block is initialised for {@link #INPUT}
     */
    public static CompactionResult compact(
            NDManager manager, Block dense, OpClassifier classifier, double flops, MaskSelector selector) {
        ChannelGraph graph = graph(dense, classifier);
        ChannelMask mask = l1Mask(graph, flops, selector);
        System.out.println("# " + describe(graph, mask));
        return Compactor.builder().setClassifier(classifier).build().compact(manager, dense, graph, mask);
    }

    /**
     * Describes a mask in one line: achieved FLOPs, parameter and activation-volume ratios (the volume bounds what
     * memory-bound layers such as BatchNorm, ReLU and the residual adds save) and the kept channels of each prunable
     * group, so a reader of the benchmark log sees the shapes that were timed.
     *
     * @param graph the graph
     * @param mask a mask of it
     * @return the description
     */
    public static String describe(ChannelGraph graph, ChannelMask mask) {
        CostModel cost = new CostModel(graph);
        StringBuilder text = new StringBuilder();
        text.append(String.format(
                "mask: flops %.4f, params %.4f, volume %.4f; kept per prunable group:",
                cost.ratio(BudgetKind.FLOPS, mask),
                cost.ratio(BudgetKind.PARAMETERS, mask),
                cost.ratio(BudgetKind.VOLUME, mask)));
        for (ChannelGroup group : graph.prunableGroups()) {
            text.append(' ').append(mask.keptCount(group.id())).append('/').append(group.size());
        }
        return text.toString();
    }
}
