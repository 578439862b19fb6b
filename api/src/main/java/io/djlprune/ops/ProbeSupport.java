package io.djlprune.ops;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import java.util.Random;

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
        NDArray deviation = actual.sub(expected).abs();
        NDArray bound = expected.abs().mul(RELATIVE_TOLERANCE).add(ABSOLUTE_TOLERANCE);
        return deviation.lte(bound).all().getBoolean();
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
     * Creates a float32 array of normally distributed values from a seeded Java generator, so that probing is
     * deterministic and does not advance the engine's random state, which the user's training depends on.
     *
     * @param manager the manager owning the array
     * @param random the generator
     * @param shape the shape
     * @param scale the standard deviation
     * @return the array
     */
    static NDArray normal(NDManager manager, Random random, Shape shape, float scale) {
        float[] values = new float[Math.toIntExact(shape.size())];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) random.nextGaussian() * scale;
        }
        return manager.create(values, shape);
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
