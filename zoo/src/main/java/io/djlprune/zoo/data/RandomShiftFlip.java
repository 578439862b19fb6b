package io.djlprune.zoo.data;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.translate.Transform;
import ai.djl.util.RandomUtils;
import java.util.Random;

/**
 * Light augmentation for small images: each sample of an {@code (N, C, H, W)} or {@code (C, H, W)} array is shifted
 * by up to {@code maxShift} pixels in each direction (zero-filled, like a padded random crop) and flipped
 * horizontally with probability ½. The sequence of draws comes from a seeded generator, so runs repeat.
 */
public class RandomShiftFlip implements Transform {

    private final int maxShift;
    private final Random random;

    /**
     * Creates the transform drawing from DJL's shared generator ({@link RandomUtils#RANDOM}), which {@code
     * Engine.setRandomSeed} reseeds: a training run whose checkpoint reseeds the engine at every epoch's start draws
     * the same shifts and flips in an epoch whether it went through or was resumed there.
     *
     * @param maxShift the largest shift in pixels, ≥ 0
     */
    public RandomShiftFlip(int maxShift) {
        this(maxShift, RandomUtils.RANDOM);
    }

    /**
     * Creates the transform with its own generator.
     *
     * @param maxShift the largest shift in pixels, ≥ 0
     * @param seed the seed of the random draws
     */
    public RandomShiftFlip(int maxShift, long seed) {
        this(maxShift, new Random(seed));
    }

    private RandomShiftFlip(int maxShift, Random random) {
        if (maxShift < 0) {
            throw new IllegalArgumentException("maxShift must be ≥ 0, got " + maxShift);
        }
        this.maxShift = maxShift;
        this.random = random;
    }

    /** {@inheritDoc} */
    @Override
    public NDArray transform(NDArray array) {
        if (array.getShape().dimension() == 3) {
            try (NDArray batch = array.expandDims(0)) {
                return transformBatch(batch).squeeze(0);
            }
        }
        if (array.getShape().dimension() != 4) {
            throw new IllegalArgumentException(
                    "RandomShiftFlip expects (N, C, H, W) or (C, H, W) images, got " + array.getShape());
        }
        return transformBatch(array);
    }

    private NDArray transformBatch(NDArray batch) {
        Shape shape = batch.getShape();
        long height = shape.get(2);
        long width = shape.get(3);
        NDList samples = new NDList();
        // Pad once, then cut every sample's window at its own random offset.
        NDArray padded = pad(batch, maxShift);
        for (long i = 0; i < shape.get(0); i++) {
            int dy = maxShift + randomShift();
            int dx = maxShift + randomShift();
            NDArray sample =
                    padded.get(new NDIndex("{}, :, {}:{}, {}:{}", i, dy, dy + height, dx, dx + width));
            if (random.nextBoolean()) {
                sample = sample.flip(2);
            }
            samples.add(sample);
        }
        NDArray result = NDArrays.stack(samples);
        samples.close();
        padded.close();
        return result;
    }

    private int randomShift() {
        return maxShift == 0 ? 0 : random.nextInt(2 * maxShift + 1) - maxShift;
    }

    private static NDArray pad(NDArray batch, int amount) {
        if (amount == 0) {
            return batch.duplicate();
        }
        Shape shape = batch.getShape();
        NDArray canvas =
                batch.getManager()
                        .zeros(
                                new Shape(shape.get(0), shape.get(1), shape.get(2) + 2L * amount, shape.get(3) + 2L * amount),
                                batch.getDataType(),
                                batch.getDevice());
        canvas.set(
                new NDIndex(":, :, {}:{}, {}:{}", amount, amount + shape.get(2), amount, amount + shape.get(3)),
                batch);
        return canvas;
    }
}
