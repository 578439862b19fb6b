package io.djlprune.compact;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.djlprune.graph.LayerNode;

/**
 * Pushes constant channels through a per-channel layer (BatchNorm, depthwise convolution, activation, pooling,
 * dropout, identity) by running the layer itself, in inference mode, on a probe filled with those constants. The
 * layer's own kernel computes what the masked model computes, and the probe shows whether a channel stays constant:
 * zero padding at the borders (a padded depthwise convolution, average pooling that counts padding) makes it vary.
 */
final class ConstantProbe {

    /**
     * Spread, relative to the value, below which a channel's map counts as one constant. Kernels may sum the same
     * terms in another order at different positions, so exact equality is too strict; a spread this small also bounds
     * the error of treating the channel as constant.
     */
    static final double TOLERANCE = 1e-6;

    private final NDManager manager;
    private final DataType dataType;

    ConstantProbe(NDManager manager, DataType dataType) {
        this.manager = manager;
        this.dataType = dataType;
    }

    ChannelValues through(LayerNode node, ChannelValues input) {
        if (input.allVarying()) {
            return ChannelValues.varying(input.size());
        }
        long[] dims = node.inputShape().getShape();
        dims[0] = 1;
        Shape shape = new Shape(dims);
        if (dims.length < 2 || dims[1] != input.size()) {
            throw new IllegalStateException(
                    "Layer '" + node.path() + "' has input " + node.inputShape() + " but " + input.size()
                            + " channels");
        }
        try (NDManager scope = manager.newSubManager()) {
            NDArray probe = scope.create(fill(input, shape), shape).toType(dataType, false);
            NDList outputs = node.block().forward(new ParameterStore(scope, false), new NDList(probe), false);
            NDArray out = outputs.singletonOrThrow();
            if (out.getShape().dimension() < 2 || out.getShape().get(1) != input.size()) {
                throw new IllegalStateException(
                        "Per-channel layer '" + node.path() + "' turned " + input.size() + " channels into "
                                + out.getShape());
            }
            NDArray maps = out.toType(DataType.FLOAT64, false).reshape(input.size(), -1);
            double[] max = maps.max(new int[] {1}).toDoubleArray();
            double[] min = maps.min(new int[] {1}).toDoubleArray();
            double[] mean = maps.mean(new int[] {1}).toDoubleArray();
            double[] result = new double[input.size()];
            for (int c = 0; c < result.length; c++) {
                boolean constant =
                        input.isConstant(c)
                                && Double.isFinite(mean[c])
                                && max[c] - min[c] <= TOLERANCE * Math.max(1, Math.abs(mean[c]));
                result[c] = constant ? mean[c] : Double.NaN;
            }
            return ChannelValues.of(result);
        }
    }

    /** The probe's values: each channel's constant over its whole map; 0 where it varies (that output is ignored). */
    private static double[] fill(ChannelValues input, Shape shape) {
        long perChannel = shape.size() / shape.get(1);
        double[] data = new double[Math.toIntExact(shape.size())];
        for (int c = 0; c < input.size(); c++) {
            double value = input.isConstant(c) ? input.get(c) : 0;
            for (long s = 0; s < perChannel; s++) {
                data[(int) (c * perChannel + s)] = value;
            }
        }
        return data;
    }
}
