package io.djlprune.export;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.ParallelBlock;
import io.djlprune.ops.JoinOp;
import io.djlprune.ops.Op;
import io.djlprune.ops.OpClassifier;
import io.djlprune.ops.UnsupportedBlockException;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * A test-only classifier that knows exactly the blocks it was told about while the test model was built, so the
 * writer's tests do not depend on the real classifier (written elsewhere).
 */
final class RecordingClassifier implements OpClassifier {

    private final Map<Block, Op> ops = new IdentityHashMap<>();
    private final Map<Block, JoinOp> joins = new IdentityHashMap<>();

    <T extends Block> T leaf(T block, Op op) {
        ops.put(block, op);
        return block;
    }

    ParallelBlock join(ParallelBlock block, JoinOp join) {
        joins.put(block, join);
        return block;
    }

    @Override
    public Op classify(Block block, Shape inputShape, String path) {
        Op op = ops.get(block);
        if (op == null) {
            throw new UnsupportedBlockException(
                    path, block.getClass().getName(), "the test classifier was not told about it");
        }
        return op;
    }

    @Override
    public JoinOp classifyJoin(ParallelBlock block, Shape[] branchOutputShapes, String path) {
        JoinOp join = joins.get(block);
        if (join == null) {
            throw new UnsupportedBlockException(
                    path, block.getClass().getName(), "the test classifier was not told about its join");
        }
        return join;
    }
}
