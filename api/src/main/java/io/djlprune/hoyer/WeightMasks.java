package io.djlprune.hoyer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The 0/1 masks element-wise pruning produced, one per weight tensor (1 = kept), with the sparsity at pruning time.
 * {@link HeldZeros} uses them to keep the pruned weights at zero during fine-tuning. Owns the mask arrays: close it
 * when fine-tuning is over.
 */
public final class WeightMasks implements AutoCloseable {

    private final NDManager manager;
    private final List<Held> held;
    private final SparsityReport report;

    WeightMasks(NDManager manager, List<Held> held, SparsityReport report) {
        this.manager = manager;
        this.held = List.copyOf(held);
        this.report = report;
    }

    /**
     * Multiplies every masked weight by its mask in place, so pruned entries are exactly zero again. Call it outside
     * a {@code GradientCollector}: an in-place change of a parameter must not be recorded.
     *
     * @throws IllegalStateException if the masks were closed or a weight changed shape
     */
    public void apply() {
        for (Held h : checked()) {
            h.parameter().getArray().muli(h.mask());
        }
    }

    /**
     * Multiplies the gradient of every masked weight by its mask in place, so an optimiser step computes a zero
     * update for the pruned entries: their gradient, and so the optimiser's momentum and moment estimates, stay zero.
     * Weights without a gradient (frozen) are left alone.
     *
     * @throws IllegalStateException if the masks were closed or a weight changed shape
     */
    public void maskGradients() {
        for (Held h : checked()) {
            NDArray weight = h.parameter().getArray();
            if (weight.hasGradient()) {
                // getGradient wraps the live gradient tensor; closing the wrapper leaves the gradient in place
                try (NDArray gradient = weight.getGradient()) {
                    gradient.muli(h.mask());
                }
            }
        }
    }

    /**
     * Returns the names of the weights whose pruned entries are no longer all zero.
     *
     * @return the names, in execution order; empty when every pruned entry is exactly zero
     * @throws IllegalStateException if the masks were closed or a weight changed shape
     */
    public List<String> revived() {
        List<String> names = new ArrayList<>();
        for (Held h : checked()) {
            NDArray weight = h.parameter().getArray();
            try (NDArray kept = weight.mul(h.mask());
                    NDArray same = kept.eq(weight);
                    NDArray all = same.all()) {
                if (!all.getBoolean()) {
                    names.add(h.name());
                }
            }
        }
        return names;
    }

    private List<Held> checked() {
        if (!manager.isOpen()) {
            throw new IllegalStateException("The weight masks were closed; they cannot hold zeros any more");
        }
        for (Held h : held) {
            Shape shape = h.parameter().getArray().getShape();
            if (!shape.equals(h.mask().getShape())) {
                throw new IllegalStateException(
                        h.name() + " now has shape " + shape + " but its mask " + h.mask().getShape());
            }
        }
        return held;
    }

    /**
     * Returns the masks by weight name ({@code layer path + "/weight"}), in execution order.
     *
     * @return an unmodifiable map of 0/1 arrays of each weight's shape and data type
     */
    public Map<String, NDArray> masks() {
        Map<String, NDArray> masks = new LinkedHashMap<>();
        for (Held h : held) {
            masks.put(h.name(), h.mask());
        }
        return Collections.unmodifiableMap(masks);
    }

    /**
     * Returns the non-zero weights per layer right after pruning.
     *
     * @return the report
     */
    public SparsityReport getReport() {
        return report;
    }

    /** Frees the mask arrays. */
    @Override
    public void close() {
        manager.close();
    }

    /**
     * One masked weight.
     *
     * @param name the weight's name
     * @param parameter the weight
     * @param mask its 0/1 mask
     */
    record Held(String name, Parameter parameter, NDArray mask) {}
}
