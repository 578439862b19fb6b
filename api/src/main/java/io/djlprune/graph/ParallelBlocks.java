package io.djlprune.graph;

import ai.djl.ndarray.NDList;
import ai.djl.nn.ParallelBlock;
import io.djlprune.ops.UnsupportedBlockException;
import java.lang.reflect.Field;
import java.util.List;
import java.util.function.Function;

/** Reads what DJL keeps private in a {@code ParallelBlock}, so rebuilt trees merge exactly as the original did. */
public final class ParallelBlocks {

    private ParallelBlocks() {}

    /**
     * Returns the function a parallel block merges its branches' outputs with.
     *
     * @param block the block
     * @param path its path, for the error message
     * @return the join function
     * @throws UnsupportedBlockException if this DJL version hides it differently
     */
    @SuppressWarnings("unchecked")
    public static Function<List<NDList>, NDList> joinFunction(ParallelBlock block, String path) {
        try {
            Field field = ParallelBlock.class.getDeclaredField("function");
            field.setAccessible(true);
            return (Function<List<NDList>, NDList>) field.get(block);
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new UnsupportedBlockException(
                    path, block.getClass().getName(), "its join function cannot be read to rebuild it (" + e + ")");
        }
    }
}
