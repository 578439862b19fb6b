package io.djlprune.hoyer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.djlprune.graph.ChannelGraph;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Element-wise pruning, DeepHoyer's step after training with {@link HoyerSquare}: zeroes every weight of every
 * convolution and linear layer whose magnitude is below a {@link MagnitudeThreshold}, and returns the masks so that
 * {@link HeldZeros} can keep those weights at zero while the network is fine-tuned.
 *
 * <pre>
 * try (WeightMasks masks = new WeightPruner(graph).prune(MagnitudeThreshold.absolute(1e-3f), manager)) {
 *     System.out.println(masks.getReport());
 *     config.addTrainingListeners(new HeldZeros(masks));
 *     ...
 * }
 * </pre>
 */
public final class WeightPruner {

    private final ChannelGraph graph;

    /**
     * Creates a pruner for the weights of a graph's convolution and linear layers.
     *
     * @param graph the graph of an initialised network
     */
    public WeightPruner(ChannelGraph graph) {
        this.graph = graph;
    }

    /**
     * Returns the absolute threshold that keeps at most {@code count} weights of all convolution and linear layers
     * together (one global magnitude cut, the budget control DeepHoyer's reference lacks): every weight with
     * {@code |w|} at or above it is kept, and there are at most {@code count} of them — fewer only where weights of
     * equal magnitude straddle the cut.
     *
     * @param count how many weights may stay non-zero, ≥ 1
     * @return the threshold for {@link MagnitudeThreshold#absolute(float)}; 0 when {@code count} covers every weight
     * @throws IllegalArgumentException if {@code count < 1}
     */
    public float thresholdKeepingAtMost(long count) {
        if (count < 1) {
            throw new IllegalArgumentException("At least one weight must be kept, got a count of " + count);
        }
        List<float[]> magnitudes = new ArrayList<>();
        long total = 0;
        for (LayerWeight weight : LayerWeight.of(graph)) {
            try (NDArray abs = weight.parameter().getArray().abs()) {
                float[] values = abs.toFloatArray();
                magnitudes.add(values);
                total += values.length;
            }
        }
        if (count >= total) {
            return 0f;
        }
        float[] all = new float[Math.toIntExact(total)];
        int at = 0;
        for (float[] values : magnitudes) {
            System.arraycopy(values, 0, all, at, values.length);
            at += values.length;
        }
        Arrays.sort(all);
        // the (count+1)-th largest magnitude must fall below the cut, so the cut sits just above it
        return Math.nextUp(all[Math.toIntExact(total - count - 1)]);
    }

    /**
     * Zeroes the small weights in place and returns their masks.
     *
     * @param threshold what counts as small
     * @param manager the manager the masks' own manager is created under; must be on the weights' device
     * @return the masks, owning their arrays, with the sparsity right after pruning
     * @throws IllegalStateException if a weight lives on another device than {@code manager}
     */
    public WeightMasks prune(MagnitudeThreshold threshold, NDManager manager) {
        List<LayerWeight> weights = LayerWeight.of(graph);
        NDManager owner = manager.newSubManager();
        List<WeightMasks.Held> held = new ArrayList<>();
        List<SparsityReport.LayerCount> counts = new ArrayList<>();
        try {
            for (LayerWeight weight : weights) {
                NDArray array = weight.parameter().getArray();
                if (!array.getDevice().equals(owner.getDevice())) {
                    throw new IllegalStateException(
                            weight.name() + " lives on " + array.getDevice() + " but the masks' manager on "
                                    + owner.getDevice());
                }
                NDArray mask;
                try (NDManager scope = owner.newSubManager()) {
                    scope.tempAttachAll(array);
                    float limit = threshold.thresholdFor(array);
                    mask = scope.ret(array.abs().gte(limit).toType(array.getDataType(), false));
                }
                array.muli(mask);
                held.add(new WeightMasks.Held(weight.name(), weight.parameter(), mask));
                counts.add(SparsityReport.count(weight.name(), array));
            }
        } catch (RuntimeException e) {
            owner.close();
            throw e;
        }
        return new WeightMasks(owner, held, new SparsityReport(counts));
    }
}
