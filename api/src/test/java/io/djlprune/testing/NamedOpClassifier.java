package io.djlprune.testing;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.ParallelBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import io.djlprune.ops.ActivationOp;
import io.djlprune.ops.BatchNormOp;
import io.djlprune.ops.Conv2dOp;
import io.djlprune.ops.FlattenOp;
import io.djlprune.ops.GlobalPoolOp;
import io.djlprune.ops.IdentityOp;
import io.djlprune.ops.JoinOp;
import io.djlprune.ops.LinearOp;
import io.djlprune.ops.Op;
import io.djlprune.ops.OpClassifier;
import io.djlprune.ops.Pool2dOp;
import io.djlprune.ops.PoolKind;
import io.djlprune.ops.UnsupportedBlockException;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * A test-only classifier for the small models the api tests build: concrete DJL layers by class, DJL's lambda blocks
 * by their names, joins as declared by the test. The real, probing classifier is tested on its own.
 */
public final class NamedOpClassifier implements OpClassifier {

    private final Map<ParallelBlock, JoinOp> joins = new IdentityHashMap<>();

    /**
     * Declares how a parallel block of a test model joins.
     *
     * @param block the block
     * @param join its join
     * @return the block
     */
    public ParallelBlock declare(ParallelBlock block, JoinOp join) {
        joins.put(block, join);
        return block;
    }

    @Override
    public Op classify(Block block, Shape inputShape, String path) {
        if (block instanceof Conv2d conv) {
            int[] k = toInts(conv.getKernelShape());
            return new Conv2dOp(
                    (int) inputShape.get(1), conv.getFilters(), k, toInts(conv.getStride()), toInts(conv.getPadding()),
                    toInts(conv.getDilation()), conv.getGroups(), conv.isIncludeBias());
        }
        if (block instanceof BatchNorm) {
            return new BatchNormOp((int) inputShape.get(1), 1e-5f, 0.9f, true, true);
        }
        if (block instanceof Linear) {
            Shape out = block.getOutputShapes(new Shape[] {inputShape})[0];
            return new LinearOp(inputShape.get(1), out.get(1), true);
        }
        if (block instanceof LambdaBlock lambda) {
            switch (lambda.getName()) {
                case "ReLU":
                    return new ActivationOp(ActivationOp.Kind.RELU, 0);
                case "sigmoid":
                    return new ActivationOp(ActivationOp.Kind.SIGMOID, 0);
                case "maxPool2d":
                    return new Pool2dOp(PoolKind.MAX, new int[] {2, 2}, new int[] {2, 2}, new int[] {0, 0}, false, true);
                case "globalAvgPool2d":
                    return new GlobalPoolOp(PoolKind.AVG);
                case "batchFlatten":
                    return new FlattenOp();
                case "identity":
                    return new IdentityOp();
                default:
                    break;
            }
        }
        throw new UnsupportedBlockException(path, block.getClass().getName(), "not known to the test classifier");
    }

    @Override
    public JoinOp classifyJoin(ParallelBlock block, Shape[] branchOutputShapes, String path) {
        JoinOp join = joins.get(block);
        if (join == null) {
            throw new UnsupportedBlockException(path, block.getClass().getName(), "join not declared by the test");
        }
        return join;
    }

    private static int[] toInts(Shape shape) {
        int[] values = new int[shape.dimension()];
        for (int i = 0; i < values.length; i++) {
            values[i] = (int) shape.get(i);
        }
        return values;
    }
}
