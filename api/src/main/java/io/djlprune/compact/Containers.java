package io.djlprune.compact;

import ai.djl.nn.Block;
import ai.djl.nn.ParallelBlock;
import ai.djl.nn.SequentialBlock;
import io.djlprune.ops.UnsupportedBlockException;

/**
 * Tells the containers the compactor rebuilds from the leaves it slices. Only DJL's own {@code SequentialBlock} and
 * {@code ParallelBlock} are containers: a subclass may compute differently from the plain container it would be
 * rebuilt as, so it is refused by path and type.
 */
final class Containers {

    /** What a block is to the tree walk. */
    enum Kind {
        SEQUENTIAL,
        PARALLEL,
        LEAF
    }

    private Containers() {}

    static Kind kind(Block block, String path) {
        if (block instanceof SequentialBlock sequence) {
            if (block.getClass() != SequentialBlock.class) {
                throw refuse(block, path, "a subclass of SequentialBlock; only SequentialBlock itself is rebuilt");
            }
            if (sequence.isReturnIntermediate()) {
                throw refuse(block, path, "a SequentialBlock that returns its intermediate outputs");
            }
            return Kind.SEQUENTIAL;
        }
        if (block instanceof ParallelBlock) {
            if (block.getClass() != ParallelBlock.class) {
                throw refuse(block, path, "a subclass of ParallelBlock; only ParallelBlock itself is rebuilt");
            }
            return Kind.PARALLEL;
        }
        return Kind.LEAF;
    }

    static String join(String parent, String child) {
        return parent.isEmpty() ? child : parent + "/" + child;
    }

    private static UnsupportedBlockException refuse(Block block, String path, String reason) {
        return new UnsupportedBlockException(path, block.getClass().getName(), reason);
    }
}
