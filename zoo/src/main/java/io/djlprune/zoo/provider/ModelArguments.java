package io.djlprune.zoo.provider;

import ai.djl.ndarray.types.Shape;
import java.util.Map;

/**
 * The arguments that choose a catalog network: class count, input channels and the side of the square input.
 *
 * @param classes the number of classes
 * @param channels the input channels
 * @param size the input height and width
 */
record ModelArguments(int classes, int channels, int size) {

    /**
     * Reads the arguments of a criteria merged with the artifact's defaults; values may be numbers or decimal strings
     * (as they arrive from a URL query or a properties file).
     *
     * @param model the model name, for messages
     * @param arguments the merged arguments
     * @return the arguments
     * @throws IllegalArgumentException if one is missing, not a whole number, or below 1
     */
    static ModelArguments of(String model, Map<String, Object> arguments) {
        return new ModelArguments(
                positive(model, arguments, "classes"),
                positive(model, arguments, "channels"),
                positive(model, arguments, "size"));
    }

    /**
     * Returns the input shape to initialise with, with a batch axis of 1.
     *
     * @return {@code (1, channels, size, size)}
     */
    Shape inputShape() {
        return new Shape(1, channels, size, size);
    }

    private static int positive(String model, Map<String, Object> arguments, String key) {
        Object value = arguments.get(key);
        Integer parsed = null;
        if (value instanceof Number number) {
            // Gson reads every JSON number as a double: accept any whole value in int range.
            double d = number.doubleValue();
            if (d == Math.rint(d) && Math.abs(d) <= Integer.MAX_VALUE) {
                parsed = (int) d;
            }
        } else if (value instanceof String text && text.trim().matches("-?[0-9]{1,9}")) {
            parsed = Integer.parseInt(text.trim());
        }
        if (parsed == null) {
            String got = value == null ? "nothing" : "'" + value + "' (" + value.getClass().getSimpleName() + ")";
            throw new IllegalArgumentException(
                    "Argument '" + key + "' of djl-prune model '" + model + "' must be a whole number, got " + got);
        }
        if (parsed < 1) {
            throw new IllegalArgumentException(
                    "Argument '" + key + "' of djl-prune model '" + model + "' must be at least 1, got " + parsed);
        }
        return parsed;
    }
}
