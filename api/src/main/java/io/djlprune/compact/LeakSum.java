package io.djlprune.compact;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Parameter;
import io.djlprune.graph.LayerNode;
import io.djlprune.ops.Conv2dOp;
import java.util.List;

/**
 * What constant input channels add to each output of a consumer: {@code δ_o = Σ_c v_c · Σ W[o, features of c]}, the
 * sum running over the whole kernel of a convolution or the H·W features a flattened channel became. Exact for a
 * linear layer and for a convolution whose every window lies inside the input (no padding). Computed in float64 from
 * the original weights.
 */
final class LeakSum {

    private LeakSum() {}

    /**
     * Returns δ per original output channel.
     *
     * @param node the consumer
     * @param axis the consumer's input channels
     * @param leaking the input positions that carry a non-zero constant
     * @param values the constants, by input position
     * @param manager a manager whose device computes
     */
    static double[] of(
            LayerNode node, AxisPositions axis, List<Integer> leaking, ChannelValues values, NDManager manager) {
        Parameter weight = node.block().getParameters().get("weight");
        if (weight == null) {
            throw new IllegalStateException("Layer '" + node.path() + "' has no parameter named weight");
        }
        NDArray array = weight.getArray();
        boolean conv = node.op() instanceof Conv2dOp;
        int width = 0;
        for (int i : leaking) {
            width += conv ? 1 : (int) axis.multiplier(i);
        }
        long[] columns = new long[width];
        double[] constants = new double[width];
        int n = 0;
        for (int i : leaking) {
            long features = conv ? 1 : axis.multiplier(i);
            for (long f = 0; f < features; f++, n++) {
                columns[n] = conv ? i : axis.firstFeature(i) + f;
                constants[n] = values.get(i);
            }
        }
        try (NDManager scope = manager.newSubManager()) {
            scope.tempAttachAll(array);
            // Only the leaking columns are read, so a wide layer is never copied whole.
            NDArray columnsRead = array.get(":, {}", scope.create(columns)).toType(DataType.FLOAT64, false);
            if (conv) {
                columnsRead = columnsRead.sum(new int[] {2, 3});
            }
            NDArray v = scope.create(constants).reshape(width, 1);
            return columnsRead.matMul(v).toDoubleArray();
        }
    }
}
