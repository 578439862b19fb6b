package io.djlprune.export;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * A float32 tensor copied out of a DJL parameter, held until the archive is written. The copy decouples the export from
 * the engine: once the tree is translated, writing the file touches no NDArray.
 *
 * @param shape the sizes, outermost first
 * @param values the elements in row-major (C) order
 */
record TensorData(long[] shape, float[] values) {

    /**
     * Checks that the values fill the shape exactly.
     *
     * @param shape the sizes
     * @param values the elements
     */
    TensorData {
        long numel = 1;
        for (long size : shape) {
            if (size < 0) {
                throw new IllegalArgumentException("Negative size in tensor shape " + Arrays.toString(shape));
            }
            numel = Math.multiplyExact(numel, size);
        }
        if (numel != values.length) {
            throw new IllegalArgumentException(
                    "Tensor shape " + Arrays.toString(shape) + " needs " + numel + " values, got " + values.length);
        }
    }

    /**
     * Returns the number of elements.
     *
     * @return the element count
     */
    long numel() {
        return values.length;
    }

    /**
     * Returns the strides of the contiguous row-major layout, in elements, as LibTorch's {@code _rebuild_tensor_v2}
     * expects them.
     *
     * @return one stride per axis
     */
    long[] strides() {
        long[] strides = new long[shape.length];
        long step = 1;
        for (int axis = shape.length - 1; axis >= 0; axis--) {
            strides[axis] = step;
            step *= Math.max(shape[axis], 1);
        }
        return strides;
    }

    /**
     * Returns the storage bytes: IEEE float32, little-endian, the byte order the archive declares in {@code byteorder}.
     *
     * @return the raw storage
     */
    byte[] littleEndianBytes() {
        ByteBuffer buffer = ByteBuffer.allocate(Math.multiplyExact(values.length, Float.BYTES));
        buffer.order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().put(values);
        return buffer.array();
    }
}
