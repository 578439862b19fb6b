package io.djlprune.zoo.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import io.djlprune.chipnet.GatedNetwork;
import io.djlprune.compact.CompactionResult;
import io.djlprune.compact.Compactor;
import io.djlprune.cost.BudgetKind;
import io.djlprune.cost.CostModel;
import io.djlprune.graph.ChannelGraph;
import io.djlprune.graph.ChannelGroup;
import io.djlprune.graph.ChannelMask;
import io.djlprune.graph.LayerNode;
import io.djlprune.ops.BatchNormOp;
import io.djlprune.ops.DjlOpClassifier;
import java.util.Random;

/**
 * Compares a network whose channels are masked through ChipNet gates with the same network whose removed channels
 * are zeroed at their source (producing filters and biases, BatchNorm γ and β), which is what removing them means,
 * and with the physically compacted network.
 * Nothing here knows any particular model: it works from the channel graph alone.
 */
final class MaskingCheck {

    private static final DjlOpClassifier CLASSIFIER = DjlOpClassifier.newInstance();

    /**
     * What one comparison measured.
     *
     * @param maxAbsDiff max |gated − zeroed| over the outputs
     * @param maskEffect max |gated − unmasked dense|, showing the mask changed the output
     * @param outputScale max |output| of the zeroed model
     * @param removed channels removed
     * @param prunable prunable channels
     * @param compactDiff max |gated − compacted|: the physically smaller network computes the same
     * @param compactCostMatches whether the compacted network's own parameter and FLOP counts equal the mask's exact
     *     costs in the dense network
     */
    record Result(
            double maxAbsDiff,
            double maskEffect,
            double outputScale,
            int removed,
            int prunable,
            double compactDiff,
            boolean compactCostMatches) {}

    private MaskingCheck() {}

    /**
     * Runs the comparison on an uninitialised block, which is initialised here and changed in place.
     *
     * @param dense the block
     * @param input the input shape, batch axis included
     * @param seed the seed for statistics, mask and input
     * @param manager the manager
     * @return the measurements
     */
    static Result run(Block dense, Shape input, long seed, NDManager manager) {
        Random random = new Random(seed);
        dense.initialize(manager, DataType.FLOAT32, input);
        ChannelGraph graph =
                ChannelGraph.builder()
                        .setInputShape(input)
                        .setClassifier(CLASSIFIER)
                        .build(dense);
        GatedNetwork gated = GatedNetwork.of(dense, graph);
        gated.getBlock().initialize(manager, DataType.FLOAT32, input);
        randomiseBatchNorms(graph, random);
        ChannelMask mask = halfMask(graph, random);
        gated.applyHardMask(mask);

        ParameterStore store = new ParameterStore(manager, false);
        NDList x = new NDList(uniform(manager, random, input, -2f, 2f));
        NDArray unmasked = dense.forward(store, x, false).singletonOrThrow();
        NDArray masked = gated.getBlock().forward(store, x, false).singletonOrThrow();
        CompactionResult compact =
                Compactor.builder().setClassifier(CLASSIFIER).build().compact(manager, dense, graph, mask);
        NDArray compacted = compact.block().forward(store, x, false).singletonOrThrow();
        CostModel denseCost = new CostModel(graph);
        CostModel compactCost =
                new CostModel(ChannelGraph.builder().setInputShape(input).setClassifier(CLASSIFIER).build(compact.block()));
        boolean costsMatch =
                compactCost.full(BudgetKind.PARAMETERS) == denseCost.exact(BudgetKind.PARAMETERS, mask)
                        && compactCost.full(BudgetKind.FLOPS) == denseCost.exact(BudgetKind.FLOPS, mask);
        zeroRemovedChannels(graph, mask);
        NDArray zeroed = dense.forward(store, x, false).singletonOrThrow();

        int removed = 0;
        for (ChannelGroup group : graph.prunableGroups()) {
            removed += group.size() - mask.keptCount(group.id());
        }
        return new Result(
                maxAbs(masked.sub(zeroed)),
                maxAbs(masked.sub(unmasked)),
                maxAbs(zeroed),
                removed,
                graph.prunableChannels(),
                maxAbs(masked.sub(compacted)),
                costsMatch);
    }

    /** Every BatchNorm gets random running statistics and affine parameters, so no channel is trivially zero. */
    private static void randomiseBatchNorms(ChannelGraph graph, Random random) {
        for (LayerNode node : graph.layers()) {
            if (!(node.op() instanceof BatchNormOp)) {
                continue;
            }
            for (Pair<String, Parameter> p : node.block().getParameters()) {
                NDArray array = p.getValue().getArray();
                float[] values =
                        switch (p.getKey()) {
                            case "gamma" -> values(random, array, 0.5f, 1.5f);
                            case "beta", "runningMean" -> values(random, array, -0.5f, 0.5f);
                            case "runningVar" -> values(random, array, 0.5f, 2f);
                            default -> throw new IllegalStateException("Unknown BatchNorm parameter " + p.getKey());
                        };
                array.set(values);
            }
        }
    }

    /** Keeps each prunable channel with probability ½, and at least one per group. */
    private static ChannelMask halfMask(ChannelGraph graph, Random random) {
        boolean[][] keep = new boolean[graph.groups().size()][];
        for (ChannelGroup group : graph.groups()) {
            keep[group.id()] = new boolean[group.size()];
            for (int c = 0; c < group.size(); c++) {
                keep[group.id()][c] = !group.prunable() || random.nextBoolean();
            }
            keep[group.id()][random.nextInt(group.size())] = true;
        }
        return ChannelMask.of(graph, keep);
    }

    /** Removes channels at their source: output slices of producing weights and biases, γ and β of the BatchNorms. */
    private static void zeroRemovedChannels(ChannelGraph graph, ChannelMask mask) {
        for (ChannelGroup group : graph.prunableGroups()) {
            for (int c = 0; c < group.size(); c++) {
                if (mask.isKept(group.id(), c)) {
                    continue;
                }
                for (LayerNode producer : group.producers()) {
                    for (Pair<String, Parameter> p : producer.block().getParameters()) {
                        p.getValue().getArray().set(new NDIndex("{}", c), 0f);
                    }
                }
                for (LayerNode bn : group.batchNorms()) {
                    bn.block().getParameters().get("gamma").getArray().set(new NDIndex("{}", c), 0f);
                    bn.block().getParameters().get("beta").getArray().set(new NDIndex("{}", c), 0f);
                }
            }
        }
    }

    private static float[] values(Random random, NDArray array, float low, float high) {
        float[] values = new float[Math.toIntExact(array.size())];
        for (int i = 0; i < values.length; i++) {
            values[i] = low + (high - low) * random.nextFloat();
        }
        return values;
    }

    private static NDArray uniform(NDManager manager, Random random, Shape shape, float low, float high) {
        float[] values = new float[Math.toIntExact(shape.size())];
        for (int i = 0; i < values.length; i++) {
            values[i] = low + (high - low) * random.nextFloat();
        }
        return manager.create(values, shape);
    }

    private static double maxAbs(NDArray array) {
        return array.abs().max().toType(DataType.FLOAT64, false).getDouble();
    }
}
