package io.djlprune.testing;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * Makes a use of freed Java memory visible: runs a collection, so direct buffers nobody references are released, then
 * allocates small direct buffers full of NaN, which land where the released ones were. A tensor that still reads a
 * released buffer then reads NaN instead of what it had.
 */
public final class FreedBuffers {

    private FreedBuffers() {}

    /**
     * Collects garbage and refills the released memory with NaN.
     *
     * @return the NaN buffers; keep them reachable until the computation under test has read its inputs
     */
    public static List<ByteBuffer> collectAndFillWithNaN() {
        System.gc();
        List<ByteBuffer> buffers = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            ByteBuffer buffer = ByteBuffer.allocateDirect(4 * (1 + i % 16)).order(ByteOrder.nativeOrder());
            while (buffer.hasRemaining()) {
                buffer.putFloat(Float.NaN);
            }
            buffers.add(buffer);
        }
        return buffers;
    }
}
