package io.djlprune.ops;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import java.util.Random;
import java.util.function.UnaryOperator;

/** Shared helpers of the probes: probe inputs, the exact-match test, and shape text for messages. */
final class ProbeSupport {

    /**
     * Absolute part of the match tolerance. Probes compare float32 results; 1e-6 is the agreement the design asks for.
     */
    static final double ABSOLUTE_TOLERANCE = 1e-6;

    /**
     * Relative part of the match tolerance. A float32 value near 30 has a spacing of 1.9e-6, so the same function
     * evaluated in a different order may differ by more than 1e-6 absolute; 1e-6 relative admits that rounding and
     * nothing else.
     */
    static final double RELATIVE_TOLERANCE = 1e-6;

    private ProbeSupport() {}

    /**
     * Returns whether {@code actual} has the shape and data type of {@code expected} and every element lies within
     * {@code 1e-6 + 1e-6·|expected|} of it. NaN never matches.
     *
     * @param actual the observed array
     * @param expected the candidate's array
     * @return true if they agree
     */
    static boolean matches(NDArray actual, NDArray expected) {
        if (!sameShape(actual.getShape(), expected.getShape())
                || actual.getDataType() != expected.getDataType()) {
            return false;
        }
        if (actual.size() == 0) {
            return true;
        }
        // The scope frees the temporaries at once: on a large feature map each is tens of megabytes.
        try (NDScope scope = new NDScope()) {
            NDArray deviation = actual.sub(expected).abs();
            NDArray bound = expected.abs().mul(RELATIVE_TOLERANCE).add(ABSOLUTE_TOLERANCE);
            return deviation.lte(bound).all().getBoolean();
        }
    }

    /**
     * Returns whether {@code actual} matches {@code candidate(input)}, freeing the candidate's output afterwards.
     *
     * @param actual the observed output
     * @param candidate the candidate function
     * @param input the input both were computed from
     * @return true if they agree
     */
    static boolean matches(NDArray actual, UnaryOperator<NDArray> candidate, NDArray input) {
        try (NDScope scope = new NDScope()) {
            return matches(actual, candidate.apply(input));
        }
    }

    /**
     * Returns the shape the probes run at: the real shape with the batch axis cut to at most two samples. Every op
     * djl-prune describes treats samples independently, two samples expose one that does not, and a large batch
     * would only make probing slow.
     *
     * @param shape the real input shape, batch axis first
     * @return the probing shape
     */
    static Shape probingShape(Shape shape) {
        if (shape.dimension() == 0 || shape.get(0) <= 2) {
            return shape;
        }
        long[] extents = shape.getShape();
        extents[0] = 2;
        return new Shape(extents);
    }

    /**
     * Returns whether two shapes have the same extents, ignoring layout annotations.
     *
     * @param a a shape
     * @param b another shape
     * @return true if the dimensions are equal
     */
    static boolean sameShape(Shape a, Shape b) {
        return Arrays.equals(a.getShape(), b.getShape());
    }

    /**
     * Creates a float32 array of values drawn uniformly from {@code [-scale, scale)} by a seeded Java generator, so
     * that probing is deterministic and does not advance the engine's random state, which the user's training
     * depends on. Uniform values are as good as Gaussian ones for telling functions apart and much cheaper to draw.
     *
     * @param manager the manager owning the array
     * @param random the generator
     * @param shape the shape
     * @param scale the largest magnitude
     * @return the array
     */
    static NDArray symmetric(NDManager manager, Random random, Shape shape, float scale) {
        return uniform(manager, random, shape, -scale, scale);
    }

    /**
     * Creates a float32 array of values drawn uniformly from {@code [low, high)} by a seeded Java generator.
     *
     * @param manager the manager owning the array
     * @param random the generator
     * @param shape the shape
     * @param low the smallest value
     * @param high the bound above every value
     * @return the array
     */
    static NDArray uniform(NDManager manager, Random random, Shape shape, float low, float high) {
        float[] values = new float[Math.toIntExact(shape.size())];
        for (int i = 0; i < values.length; i++) {
            values[i] = low + random.nextFloat() * (high - low);
        }
        return manager.create(values, shape);
    }

    /**
     * Checks that a probing input shape is fully known and non-empty.
     *
     * @param shape the shape
     * @param what what the shape is, for the message
     * @throws IllegalArgumentException if an extent is unknown or zero
     */
    static void requireConcrete(Shape shape, String what) {
        for (long extent : shape.getShape()) {
            if (extent < 1) {
                throw new IllegalArgumentException(
                        what + " must have known, positive extents (batch axis included), got " + shape);
            }
        }
    }

    /**
     * Returns the first few elements of an array, for error messages.
     *
     * @param array the array
     * @param count how many elements at most
     * @return the elements as text
     */
    static String head(NDArray array, int count) {
        float[] values = array.toType(DataType.FLOAT32, false).toFloatArray();
        float[] first = Arrays.copyOf(values, Math.min(count, values.length));
        return Arrays.toString(first) + (values.length > count ? "…" : "");
    }
}
