package io.djlprune.zoo.torch;

import ai.djl.ndarray.types.DataType;

/** The element types of the torch storages this reader accepts, with their size and DJL counterpart. */
public enum TorchDType {
    /** {@code torch.float32}, stored as {@code FloatStorage}. */
    FLOAT32(4, DataType.FLOAT32),
    /** {@code torch.float64}, stored as {@code DoubleStorage}. */
    FLOAT64(8, DataType.FLOAT64),
    /** {@code torch.float16}, stored as {@code HalfStorage}. */
    FLOAT16(2, DataType.FLOAT16),
    /** {@code torch.bfloat16}, stored as {@code BFloat16Storage}. */
    BFLOAT16(2, DataType.BFLOAT16),
    /** {@code torch.int64}, stored as {@code LongStorage} (BatchNorm's {@code num_batches_tracked}). */
    INT64(8, DataType.INT64),
    /** {@code torch.int32}, stored as {@code IntStorage}. */
    INT32(4, DataType.INT32),
    /** {@code torch.int8}, stored as {@code CharStorage}. */
    INT8(1, DataType.INT8),
    /** {@code torch.uint8}, stored as {@code ByteStorage}. */
    UINT8(1, DataType.UINT8),
    /** {@code torch.bool}, stored as {@code BoolStorage}. */
    BOOL(1, DataType.BOOLEAN);

    private final int bytes;
    private final DataType djl;

    TorchDType(int bytes, DataType djl) {
        this.bytes = bytes;
        this.djl = djl;
    }

    /**
     * Returns the size of one element in bytes.
     *
     * @return the element size
     */
    public int bytes() {
        return bytes;
    }

    /**
     * Returns the DJL data type of the same elements.
     *
     * @return the DJL type
     */
    public DataType djl() {
        return djl;
    }
}
