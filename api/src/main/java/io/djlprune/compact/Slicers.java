package io.djlprune.compact;

import io.djlprune.graph.LayerNode;
import io.djlprune.ops.ActivationOp;
import io.djlprune.ops.AdaptiveAvgPool2dOp;
import io.djlprune.ops.BatchNormOp;
import io.djlprune.ops.Conv2dOp;
import io.djlprune.ops.DropoutOp;
import io.djlprune.ops.FlattenOp;
import io.djlprune.ops.UnflattenOp;
import io.djlprune.ops.GlobalPoolOp;
import io.djlprune.ops.IdentityOp;
import io.djlprune.ops.LinearOp;
import io.djlprune.ops.Pool2dOp;
import io.djlprune.ops.UnsupportedBlockException;

/** Picks the {@link LayerSlicer} for a layer from what it computes; an op with no rule is refused by path and type. */
final class Slicers {

    private static final LayerSlicer CONV = new ConvSlicer();
    private static final LayerSlicer LINEAR = new LinearSlicer();
    private static final LayerSlicer BATCH_NORM = new BatchNormSlicer();
    private static final LayerSlicer STATELESS = new StatelessReuse();

    private Slicers() {}

    static LayerSlicer of(LayerNode node) {
        if (node.op() instanceof Conv2dOp) {
            return CONV;
        }
        if (node.op() instanceof LinearOp) {
            return LINEAR;
        }
        if (node.op() instanceof BatchNormOp) {
            return BATCH_NORM;
        }
        if (node.op() instanceof ActivationOp
                || node.op() instanceof Pool2dOp
                || node.op() instanceof GlobalPoolOp
                || node.op() instanceof AdaptiveAvgPool2dOp
                || node.op() instanceof FlattenOp
                || node.op() instanceof UnflattenOp
                || node.op() instanceof IdentityOp
                || node.op() instanceof DropoutOp) {
            return STATELESS;
        }
        throw new UnsupportedBlockException(
                node.path(), node.block().getClass().getName(), "the compactor has no slicing rule for " + node.op());
    }
}
