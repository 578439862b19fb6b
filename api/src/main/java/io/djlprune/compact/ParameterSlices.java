package io.djlprune.compact;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import io.djlprune.graph.LayerNode;
import io.djlprune.ops.UnsupportedBlockException;

/** Reading, slicing and setting parameter arrays for the {@link LayerSlicer}s. */
final class ParameterSlices {

    private ParameterSlices() {}

    /** The original array of a parameter, temporarily attached to the scope so nothing derived from it outlives it. */
    static NDArray read(LayerNode node, String name, NDManager scope) {
        Parameter parameter = node.block().getParameters().get(name);
        if (parameter == null || !parameter.isInitialized()) {
            throw new UnsupportedBlockException(
                    node.path(), node.block().getClass().getName(), "it has no initialised parameter '" + name + "'");
        }
        NDArray array = parameter.getArray();
        scope.tempAttachAll(array);
        return array;
    }

    /** A copy of the given rows (output channels) of a parameter of the original layer. */
    static NDArray rows(LayerNode node, String name, long[] kept, NDManager scope) {
        return take(read(node, name, scope), kept, 0, scope);
    }

    /** A copy of the given positions along axis 0 or 1 (always a copy, never a view of the original). */
    static NDArray take(NDArray source, long[] positions, int axis, NDManager scope) {
        NDArray index = scope.create(positions);
        return axis == 0 ? source.get("{}", index) : source.get(":, {}", index);
    }

    /** {@code values + sign·shift[kept]}, computed in float64, in the values' type; the values if no shift. */
    static NDArray shifted(NDArray values, double[] shift, long[] kept, double sign, NDManager scope) {
        if (shift == null) {
            return values;
        }
        double[] selected = new double[kept.length];
        for (int i = 0; i < kept.length; i++) {
            selected[i] = sign * shift[(int) kept[i]];
        }
        return values.toType(DataType.FLOAT64, false).add(scope.create(selected)).toType(values.getDataType(), false);
    }

    /** Moves the array to the owner (device and lifetime) and makes it the value of the new block's parameter. */
    static void set(Block block, String name, NDArray value, NDManager owner) {
        Parameter parameter = block.getParameters().get(name);
        if (parameter == null) {
            throw new IllegalStateException(block.getClass().getSimpleName() + " has no parameter '" + name + "'");
        }
        NDArray placed = value.toDevice(owner.getDevice(), true);
        placed.attach(owner);
        parameter.setArray(placed);
    }

    /** Returns the block as the exact DJL class, or refuses it: a subclass may compute something else. */
    static <T extends Block> T require(LayerNode node, Class<T> type) {
        if (node.block().getClass() != type) {
            throw new UnsupportedBlockException(
                    node.path(),
                    node.block().getClass().getName(),
                    "it is described as " + node.op().getClass().getSimpleName().replace("Op", "") + ", but only "
                            + type.getName() + " itself can be sliced");
        }
        return type.cast(node.block());
    }
}
