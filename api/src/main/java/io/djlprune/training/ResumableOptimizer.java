package io.djlprune.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.optimizer.Optimizer;
import io.djlprune.checkpoint.StatefulOptimizer;
import io.djlprune.ndarray.OwnedArrays;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The state-keeping half of an optimiser whose state can be saved and loaded ({@link StatefulOptimizer}): per
 * parameter, a fixed list of state arrays shaped like the parameter (Adam's two moments, SGD's momentum) and the
 * number of updates applied. Subclasses name the arrays and apply the update.
 *
 * <p>Loaded state waits in Java memory until the parameter's first update, which gives its manager and device. One
 * device per parameter is supported.
 */
public abstract class ResumableOptimizer extends Optimizer implements StatefulOptimizer {

    private static final String STEPS = "steps";

    private final List<String> slots;
    private final Map<String, ParameterState> state = new ConcurrentHashMap<>();
    private final Map<String, SavedState> pending = new ConcurrentHashMap<>();

    /**
     * Creates the optimiser.
     *
     * @param builder DJL's optimiser settings (weight decay, gradient rescaling and clipping)
     * @param slots the names of the state arrays each parameter has, e.g. "mean", "variance"
     */
    protected ResumableOptimizer(OptimizerBuilder<?> builder, String... slots) {
        super(builder);
        this.slots = List.of(slots);
    }

    /**
     * Returns a parameter's state, created with zeros at its first update (or from loaded state), and counts the
     * update.
     *
     * @param parameterId the parameter's id
     * @param weight its array
     * @return the state, whose {@link ParameterState#steps()} is the number of this update, from 1
     */
    protected final ParameterState nextUpdate(String parameterId, NDArray weight) {
        ParameterState parameter =
                state.computeIfAbsent(parameterId, id -> ParameterState.startFor(pending.remove(id), id, weight, slots.size()));
        if (!parameter.slots[0].getDevice().equals(weight.getDevice())) {
            throw new IllegalStateException(
                    getClass().getSimpleName() + " keeps one copy of the state per parameter and parameter "
                            + parameterId + " is updated on " + weight.getDevice() + " and "
                            + parameter.slots[0].getDevice() + "; train on one device");
        }
        parameter.steps++;
        return parameter;
    }

    /** {@inheritDoc} */
    @Override
    public final NDList saveState(NDManager manager, Map<String, String> nameOfId) {
        NDList saved = new NDList();
        for (Map.Entry<String, ParameterState> entry : state.entrySet()) {
            String name = nameOfId.get(entry.getKey());
            if (name == null) {
                throw new IllegalStateException(
                        getClass().getSimpleName() + " holds the state of parameter id " + entry.getKey()
                                + ", which the model does not list");
            }
            ParameterState parameter = entry.getValue();
            for (int i = 0; i < slots.size(); i++) {
                saved.add(named(parameter.slots[i].duplicate(), name, slots.get(i), manager));
            }
            saved.add(named(manager.create(new long[] {parameter.steps}), name, STEPS, manager));
        }
        // loaded but not yet used (no update since the restart): saved again as they were
        for (SavedState parameter : pending.values()) {
            for (int i = 0; i < slots.size(); i++) {
                saved.add(named(manager.create(parameter.values()[i], parameter.shape()), parameter.name(), slots.get(i), manager));
            }
            saved.add(named(manager.create(new long[] {parameter.steps()}), parameter.name(), STEPS, manager));
        }
        return saved;
    }

    /** {@inheritDoc} */
    @Override
    public final void loadState(NDList saved, Map<String, String> idOfName) {
        Map<String, NDArray[]> byName = new LinkedHashMap<>();
        for (NDArray array : saved) {
            String fullName = Objects.requireNonNullElse(array.getName(), "");
            int slash = fullName.lastIndexOf('/');
            String what = slash < 0 ? "" : fullName.substring(slash + 1);
            int index = what.equals(STEPS) ? slots.size() : slots.indexOf(what);
            if (index < 0) {
                throw new IllegalArgumentException(
                        "Saved " + getClass().getSimpleName() + " state has an array named '" + fullName
                                + "'; expected <parameter>/" + String.join(", /", slots) + " or /" + STEPS);
            }
            byName.computeIfAbsent(fullName.substring(0, slash), k -> new NDArray[slots.size() + 1])[index] = array;
        }
        Map<String, SavedState> loaded = new LinkedHashMap<>();
        for (Map.Entry<String, NDArray[]> entry : byName.entrySet()) {
            String name = entry.getKey();
            NDArray[] parts = entry.getValue();
            if (Arrays.asList(parts).contains(null)) {
                throw new IllegalArgumentException(
                        "Saved " + getClass().getSimpleName() + " state of parameter " + name + " is incomplete");
            }
            String id = idOfName.get(name);
            if (id == null) {
                throw new IllegalArgumentException(
                        "Saved " + getClass().getSimpleName() + " state names parameter " + name
                                + ", which this model does not have");
            }
            Shape shape = parts[0].getShape();
            float[][] values = new float[slots.size()][];
            for (int i = 0; i < slots.size(); i++) {
                if (!parts[i].getShape().equals(shape)) {
                    throw new IllegalArgumentException(
                            "Saved state arrays of parameter " + name + " have shapes " + shape + " and "
                                    + parts[i].getShape());
                }
                values[i] = parts[i].toType(DataType.FLOAT32, false).toFloatArray();
            }
            long steps = parts[slots.size()].toLongArray()[0];
            loaded.put(id, new SavedState(name, shape, values, Math.toIntExact(steps)));
        }
        state.values().forEach(ParameterState::close);
        state.clear();
        pending.clear();
        pending.putAll(loaded);
    }

    private static NDArray named(NDArray array, String parameter, String what, NDManager manager) {
        array.attach(manager);
        array.setName(parameter + "/" + what);
        return array;
    }

    /** One parameter's state arrays (on the parameter's own manager, freed with the model) and its update count. */
    protected static final class ParameterState implements AutoCloseable {
        private final NDArray[] slots;
        private int steps;

        private ParameterState(NDArray[] slots, int steps) {
            this.slots = slots;
            this.steps = steps;
        }

        static ParameterState startFor(SavedState saved, String id, NDArray weight, int count) {
            NDArray[] slots = new NDArray[count];
            if (saved == null) {
                for (int i = 0; i < count; i++) {
                    slots[i] = weight.zerosLike();
                }
                return new ParameterState(slots, 0);
            }
            if (!saved.shape().equals(weight.getShape())) {
                throw new IllegalStateException(
                        "Saved optimiser state of parameter " + saved.name() + " has shape " + saved.shape()
                                + " but the parameter (id " + id + ") has " + weight.getShape());
            }
            for (int i = 0; i < count; i++) {
                NDArray array = OwnedArrays.owned(weight.getManager().create(saved.values()[i], saved.shape()));
                slots[i] = weight.getDataType() == DataType.FLOAT32 ? array : array.toType(weight.getDataType(), false);
            }
            return new ParameterState(slots, saved.steps());
        }

        /**
         * Returns a state array.
         *
         * @param index its position in the names given to the constructor
         * @return the array, updated in place by the optimiser's kernel
         */
        public NDArray slot(int index) {
            return slots[index];
        }

        /**
         * Returns the number of updates applied, this one included.
         *
         * @return t, from 1
         */
        public int steps() {
            return steps;
        }

        @Override
        public void close() {
            for (NDArray slot : slots) {
                slot.close();
            }
        }
    }

    /** State read from a checkpoint, kept in Java memory until its parameter's first update. */
    private record SavedState(String name, Shape shape, float[][] values, int steps) {}
}
