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
        requirePositive(count);
        List<float[]> magnitudes = new ArrayList<>();
        for (LayerWeight weight : LayerWeight.of(graph)) {
            magnitudes.add(magnitudes(weight));
        }
        float key = keyAboveCut(magnitudes, count);
        return key < 0 ? 0f : Math.nextUp(key);
    }

    /**
     * Returns the multiple of each tensor's standard deviation that keeps at most {@code count} weights of all
     * convolution and linear layers together: one global cut on {@code |w| / std(W)}, so every layer is cut relative to
     * its own scale. This is the reference code's per-layer rule (a multiple of each tensor's std) made budget-exact.
     * Whether it beats {@link #thresholdKeepingAtMost(long) one magnitude cut} is a measurement: after Group-HS on
     * LeNet-5 it cost far more accuracy at the cut (docs/RESULTS.md), as the layers Group-HS left large hold the
     * weights that matter.
     *
     * @param count how many weights may stay non-zero, ≥ 1
     * @return the threshold; a multiple of 0 when {@code count} covers every weight
     * @throws IllegalArgumentException if {@code count < 1}, or a tensor has equal non-zero entries only (a standard
     *     deviation of 0, so no multiple of it can cut any of them)
     */
    public MagnitudeThreshold stdMultipleKeepingAtMost(long count) {
        requirePositive(count);
        List<float[]> magnitudes = new ArrayList<>();
        List<float[]> relative = new ArrayList<>();
        List<Float> spreads = new ArrayList<>();
        MagnitudeThreshold oneStd = MagnitudeThreshold.stdMultiple(1f);
        for (LayerWeight weight : LayerWeight.of(graph)) {
            float[] values = magnitudes(weight);
            // the same float the pruning step computes, so the check below counts what it will keep
            float spread = oneStd.thresholdFor(weight.parameter().getArray());
            float[] ratios = new float[values.length];
            for (int i = 0; i < values.length; i++) {
                if (spread == 0 && values[i] != 0) {
                    throw new IllegalArgumentException(
                            weight.name() + " has equal non-zero entries only: no multiple of its standard deviation"
                                    + " (0) can cut them; use an absolute cut");
                }
                ratios[i] = spread == 0 ? 0f : values[i] / spread;
            }
            magnitudes.add(values);
            relative.add(ratios);
            spreads.add(spread);
        }
        float key = keyAboveCut(relative, count);
        if (key < 0) {
            return MagnitudeThreshold.stdMultiple(0f);
        }
        // the division above and the product k·std the pruning step compares with may round apart: step k up until
        // the count the pruning step will keep is within the limit
        float multiple = Math.nextUp(key);
        while (keptAt(multiple, magnitudes, spreads) > count) {
            multiple = Math.nextUp(multiple);
        }
        return MagnitudeThreshold.stdMultiple(multiple);
    }

    private static void requirePositive(long count) {
        if (count < 1) {
            throw new IllegalArgumentException("At least one weight must be kept, got a count of " + count);
        }
    }

    private static float[] magnitudes(LayerWeight weight) {
        try (NDArray abs = weight.parameter().getArray().abs()) {
            return abs.toFloatArray();
        }
    }

    /** The (count+1)-th largest key, which must fall below the cut; −1 when count covers every key. */
    private static float keyAboveCut(List<float[]> keys, long count) {
        long total = keys.stream().mapToLong(values -> values.length).sum();
        if (count >= total) {
            return -1f;
        }
        float[] all = new float[Math.toIntExact(total)];
        int at = 0;
        for (float[] values : keys) {
            System.arraycopy(values, 0, all, at, values.length);
            at += values.length;
        }
        Arrays.sort(all);
        return all[Math.toIntExact(total - count - 1)];
    }

    private static long keptAt(float multiple, List<float[]> magnitudes, List<Float> spreads) {
        long kept = 0;
        for (int layer = 0; layer < magnitudes.size(); layer++) {
            float limit = multiple * spreads.get(layer);
            for (float value : magnitudes.get(layer)) {
                kept += value >= limit && value != 0 ? 1 : 0;
            }
        }
        return kept;
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
