package io.djlprune.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.ParameterTracker;
import ai.djl.training.tracker.Tracker;
import io.djlprune.ndarray.OwnedArrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * AdamW (Adam with decoupled weight decay, as PyTorch's {@code torch.optim.AdamW}) whose state can be saved and
 * loaded ({@link StatefulOptimizer}), so a pruning run resumed after a kill continues with the same moments and step
 * counts. The update is DJL's own fused kernel ({@code adamUpdate}, the one {@code Optimizer.adamW()} runs), with the
 * same bias correction, so a run with this optimiser trains as one with DJL's.
 *
 * <p>State per parameter: the first and second moments on the parameter's device and the number of updates applied.
 * One device per parameter is supported (the moments of a multi-device run would need one copy per device).
 */
public final class ResumableAdamW extends Optimizer implements StatefulOptimizer {

    private static final String MEAN = "mean";
    private static final String VARIANCE = "variance";
    private static final String STEPS = "steps";

    private final ParameterTracker learningRate;
    private final float beta1;
    private final float beta2;
    private final float epsilon;
    private final Map<String, Moments> state = new ConcurrentHashMap<>();
    // Loaded state, by parameter id, until the parameter's first update gives its manager and device.
    private final Map<String, SavedMoments> pending = new ConcurrentHashMap<>();

    private ResumableAdamW(Builder builder) {
        super(builder);
        this.learningRate = builder.learningRate;
        this.beta1 = builder.beta1;
        this.beta2 = builder.beta2;
        this.epsilon = builder.epsilon;
    }

    /**
     * Creates a builder with PyTorch's defaults: lr 1e-3, β₁ 0.9, β₂ 0.999, ε 1e-8, weight decay 0.01.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /** {@inheritDoc} */
    @Override
    public void update(String parameterId, NDArray weight, NDArray grad) {
        Moments moments = state.computeIfAbsent(parameterId, id -> Moments.startFor(pending.remove(id), id, weight));
        if (!moments.mean.getDevice().equals(weight.getDevice())) {
            throw new IllegalStateException(
                    "ResumableAdamW keeps one copy of the moments per parameter and the parameter " + parameterId
                            + " is updated on " + weight.getDevice() + " and " + moments.mean.getDevice()
                            + "; train on one device");
        }
        int t = ++moments.steps;
        float lr = learningRate.getNewValue(parameterId, t);
        float weightDecay = getWeightDecay();
        if (!Float.isFinite(lr) || !Float.isFinite(weightDecay)) {
            throw new IllegalStateException(
                    "AdamW's learning rate (" + lr + ") or weight decay (" + weightDecay + ") is not finite");
        }
        double coef1 = 1.0 - Math.pow(beta1, t);
        double coef2 = 1.0 - Math.pow(beta2, t);
        float biasCorrected = (float) (lr * Math.sqrt(coef2) / coef1);
        weight.getNDArrayInternal()
                .adamUpdate(
                        new NDList(weight, grad, moments.mean, moments.variance),
                        new NDList(weight),
                        lr,
                        biasCorrected,
                        weightDecay,
                        rescaleGrad,
                        clipGrad,
                        beta1,
                        beta2,
                        epsilon,
                        true,
                        true);
    }

    /** {@inheritDoc} */
    @Override
    public NDList saveState(NDManager manager, Map<String, String> nameOfId) {
        NDList saved = new NDList();
        for (Map.Entry<String, Moments> entry : state.entrySet()) {
            String name = nameOfId.get(entry.getKey());
            if (name == null) {
                throw new IllegalStateException(
                        "AdamW holds the state of parameter id " + entry.getKey() + ", which the model does not list");
            }
            Moments moments = entry.getValue();
            saved.add(named(moments.mean.duplicate(), name, MEAN, manager));
            saved.add(named(moments.variance.duplicate(), name, VARIANCE, manager));
            NDArray steps = manager.create(new long[] {moments.steps});
            saved.add(named(steps, name, STEPS, manager));
        }
        // loaded but not yet used (no update since the restart): saved again as they were
        for (SavedMoments moments : pending.values()) {
            saved.add(named(manager.create(moments.mean(), moments.shape()), moments.name(), MEAN, manager));
            saved.add(named(manager.create(moments.variance(), moments.shape()), moments.name(), VARIANCE, manager));
            saved.add(named(manager.create(new long[] {moments.steps()}), moments.name(), STEPS, manager));
        }
        return saved;
    }

    /** {@inheritDoc} */
    @Override
    public void loadState(NDList saved, Map<String, String> idOfName) {
        Map<String, NDArray[]> byName = new LinkedHashMap<>();
        for (NDArray array : saved) {
            String fullName = Objects.requireNonNullElse(array.getName(), "");
            int slash = fullName.lastIndexOf('/');
            String what = slash < 0 ? "" : fullName.substring(slash + 1);
            int index = switch (what) {
                case MEAN -> 0;
                case VARIANCE -> 1;
                case STEPS -> 2;
                default -> throw new IllegalArgumentException(
                        "Saved AdamW state has an array named '" + fullName + "'; expected <parameter>/mean, /variance"
                                + " or /steps");
            };
            byName.computeIfAbsent(fullName.substring(0, slash), k -> new NDArray[3])[index] = array;
        }
        Map<String, SavedMoments> loaded = new LinkedHashMap<>();
        for (Map.Entry<String, NDArray[]> entry : byName.entrySet()) {
            String name = entry.getKey();
            NDArray[] parts = entry.getValue();
            if (parts[0] == null || parts[1] == null || parts[2] == null) {
                throw new IllegalArgumentException("Saved AdamW state of parameter " + name + " is incomplete");
            }
            String id = idOfName.get(name);
            if (id == null) {
                throw new IllegalArgumentException(
                        "Saved AdamW state names parameter " + name + ", which this model does not have");
            }
            if (!parts[0].getShape().equals(parts[1].getShape())) {
                throw new IllegalArgumentException(
                        "Saved AdamW moments of parameter " + name + " have shapes " + parts[0].getShape() + " and "
                                + parts[1].getShape());
            }
            long steps = parts[2].toLongArray()[0];
            loaded.put(
                    id,
                    new SavedMoments(
                            name,
                            parts[0].getShape(),
                            parts[0].toType(DataType.FLOAT32, false).toFloatArray(),
                            parts[1].toType(DataType.FLOAT32, false).toFloatArray(),
                            Math.toIntExact(steps)));
        }
        state.values().forEach(Moments::close);
        state.clear();
        pending.clear();
        pending.putAll(loaded);
    }

    private static NDArray named(NDArray array, String parameter, String what, NDManager manager) {
        array.attach(manager);
        array.setName(parameter + "/" + what);
        return array;
    }

    /** One parameter's moments (on its own manager, freed with the model) and its update count. */
    private static final class Moments implements AutoCloseable {
        private final NDArray mean;
        private final NDArray variance;
        private int steps;

        Moments(NDArray mean, NDArray variance, int steps) {
            this.mean = mean;
            this.variance = variance;
            this.steps = steps;
        }

        /** Zero moments for a parameter's first update, or the saved ones if the parameter has them. */
        static Moments startFor(SavedMoments saved, String id, NDArray weight) {
            if (saved == null) {
                return new Moments(weight.zerosLike(), weight.zerosLike(), 0);
            }
            if (!saved.shape().equals(weight.getShape())) {
                throw new IllegalStateException(
                        "Saved AdamW moments of parameter " + saved.name() + " have shape " + saved.shape()
                                + " but the parameter (id " + id + ") has " + weight.getShape());
            }
            return new Moments(saved.restore(saved.mean(), weight), saved.restore(saved.variance(), weight), saved.steps());
        }

        @Override
        public void close() {
            mean.close();
            variance.close();
        }
    }

    /** Moments read from a checkpoint, kept in Java memory until their parameter's first update. */
    private record SavedMoments(String name, Shape shape, float[] mean, float[] variance, int steps) {

        /** The values as an engine-owned array on the weight's manager, device and data type. */
        NDArray restore(float[] values, NDArray weight) {
            NDArray array = OwnedArrays.owned(weight.getManager().create(values, shape));
            return weight.getDataType() == DataType.FLOAT32 ? array : array.toType(weight.getDataType(), false);
        }
    }

    /** Configures a {@link ResumableAdamW}. */
    public static final class Builder extends OptimizerBuilder<Builder> {

        private ParameterTracker learningRate = Tracker.fixed(1e-3f);
        private float beta1 = 0.9f;
        private float beta2 = 0.999f;
        private float epsilon = 1e-8f;

        Builder() {
            optWeightDecays(0.01f);
        }

        /** {@inheritDoc} */
        @Override
        protected Builder self() {
            return this;
        }

        /**
         * Sets the learning-rate schedule (default fixed 1e-3).
         *
         * @param tracker the schedule
         * @return this builder
         */
        public Builder optLearningRateTracker(ParameterTracker tracker) {
            this.learningRate = Objects.requireNonNull(tracker, "tracker");
            return this;
        }

        /**
         * Sets β₁ and β₂, the decay rates of the first and second moments (defaults 0.9, 0.999).
         *
         * @param beta1 in [0, 1)
         * @param beta2 in [0, 1)
         * @return this builder
         */
        public Builder optBetas(float beta1, float beta2) {
            if (!(beta1 >= 0 && beta1 < 1 && beta2 >= 0 && beta2 < 1)) {
                throw new IllegalArgumentException("AdamW's betas must be in [0, 1), got " + beta1 + ", " + beta2);
            }
            this.beta1 = beta1;
            this.beta2 = beta2;
            return this;
        }

        /**
         * Sets ε (default 1e-8).
         *
         * @param epsilon &gt; 0
         * @return this builder
         */
        public Builder optEpsilon(float epsilon) {
            if (!(epsilon > 0)) {
                throw new IllegalArgumentException("AdamW's epsilon must be positive, got " + epsilon);
            }
            this.epsilon = epsilon;
            return this;
        }

        /**
         * Builds the optimiser.
         *
         * @return the optimiser
         */
        public ResumableAdamW build() {
            return new ResumableAdamW(this);
        }
    }
}
