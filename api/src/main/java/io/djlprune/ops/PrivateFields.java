package io.djlprune.ops;

import ai.djl.engine.Engine;
import ai.djl.nn.Block;
import java.lang.reflect.Field;

/**
 * Reads private fields of DJL blocks that expose no getter (BatchNorm's ε and momentum, Dropout's rate, the join
 * function of ParallelBlock). DJL may rename such a field in any release, so every read checks the field's name and
 * type and fails with a message that names the DJL version, the class and the field, never with a default value.
 */
final class PrivateFields {

    private PrivateFields() {}

    /**
     * Reads {@code owner.name} of {@code block}.
     *
     * @param block the block
     * @param owner the class that declares the field
     * @param name the field name
     * @param type the field's declared type ({@code float.class} for a primitive float)
     * @param path the block's path, for the refusal
     * @param <T> the value type
     * @return the field's value
     * @throws UnsupportedBlockException if the field is missing, of another type, or unreadable
     */
    @SuppressWarnings("unchecked")
    static <T> T read(Block block, Class<?> owner, String name, Class<T> type, String path) {
        Field field;
        try {
            field = owner.getDeclaredField(name);
        } catch (NoSuchFieldException e) {
            throw refusal(block, owner, name, "has no field '" + name + "'", path, e);
        }
        if (field.getType() != type) {
            throw refusal(
                    block, owner, name, "declares '" + name + "' as " + field.getType().getName(), path, null);
        }
        try {
            field.setAccessible(true);
            // For a primitive type the value arrives boxed (Float for float.class), which is what T stands for.
            return (T) field.get(block);
        } catch (IllegalAccessException | RuntimeException e) {
            throw refusal(block, owner, name, "does not let djl-prune read '" + name + "'", path, e);
        }
    }

    private static UnsupportedBlockException refusal(
            Block block, Class<?> owner, String name, String problem, String path, Throwable cause) {
        return new UnsupportedBlockException(
                path,
                block.getClass().getName(),
                owner.getSimpleName()
                        + " of DJL "
                        + Engine.getDjlVersion()
                        + " "
                        + problem
                        + "; djl-prune reads that private field because DJL offers no getter for it, and was built"
                        + " against DJL 0.35.0",
                cause);
    }
}
