package io.djlprune.gate;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.initializer.Initializer;

/**
 * Initialises gate logits ψ uniformly in {@code [low, high)}; ChipNet starts every ψ in {@code [0, 0.01)}, so all
 * gates start just above half open and nearly equal. DJL's {@code UniformInitializer} only draws from a range
 * symmetric around zero, hence this class.
 */
public final class PsiInitializer implements Initializer {

    private final float low;
    private final float high;

    /** Creates the reference initialiser, uniform in {@code [0, 0.01)}. */
    public PsiInitializer() {
        this(0f, 0.01f);
    }

    /**
     * Creates an initialiser uniform in {@code [low, high)}.
     *
     * @param low the inclusive lower bound
     * @param high the exclusive upper bound, above {@code low}
     */
    public PsiInitializer(float low, float high) {
        if (!(high > low) || Float.isInfinite(low) || Float.isInfinite(high)) {
            throw new IllegalArgumentException("need finite low < high, got [" + low + ", " + high + ")");
        }
        this.low = low;
        this.high = high;
    }

    /** {@inheritDoc} */
    @Override
    public NDArray initialize(NDManager manager, Shape shape, DataType dataType) {
        return manager.randomUniform(low, high, shape, dataType);
    }
}
