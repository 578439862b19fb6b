package io.djlprune.zoo.data;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import io.djlprune.data.DataSplits;
import org.testng.Assert;
import org.testng.annotations.Test;

/** The data transforms: per-channel normalisation and the seeded shift/flip augmentation. */
public class TransformsTest {

    @Test
    public void normalisesEachChannelOnImagesAndBatches() {
        try (NDManager manager = NDManager.newBaseManager()) {
            ChannelNormalize normalize = new ChannelNormalize(new float[] {1f, 2f}, new float[] {2f, 4f});
            NDArray image = manager.ones(new Shape(2, 3, 3)).mul(5);
            NDArray out = normalize.transform(image);
            Assert.assertEquals(out.get(0).toFloatArray()[0], 2f); // (5 − 1) / 2
            Assert.assertEquals(out.get(1).toFloatArray()[0], 0.75f); // (5 − 2) / 4
            NDArray batch = normalize.transform(manager.ones(new Shape(4, 2, 3, 3)).mul(5));
            Assert.assertEquals(batch.get(new NDIndex(":, 1")).toFloatArray()[7], 0.75f);
            Assert.expectThrows(
                    IllegalArgumentException.class, () -> normalize.transform(manager.ones(new Shape(3, 3, 3))));
            Assert.expectThrows(
                    IllegalArgumentException.class, () -> new ChannelNormalize(new float[] {0}, new float[] {0}));
        }
    }

    @Test
    public void shiftFlipKeepsShapeAndMassAndRepeatsWithTheSeed() {
        try (NDManager manager = NDManager.newBaseManager()) {
            // a small bright square far from the border: shifts ≤ 2 px and flips keep all of it
            NDArray batch = manager.zeros(new Shape(8, 1, 12, 12));
            batch.set(new NDIndex(":, :, 4:7, 3:6"), 1f);
            NDArray a = new RandomShiftFlip(2, 9).transform(batch);
            NDArray b = new RandomShiftFlip(2, 9).transform(batch);
            Assert.assertEquals(a.getShape(), batch.getShape());
            Assert.assertEquals(a.toFloatArray(), b.toFloatArray(), "same seed, same augmentation");
            float[] perSample = a.sum(new int[] {1, 2, 3}).toFloatArray();
            for (float mass : perSample) {
                Assert.assertEquals(mass, 9f, 1e-6);
            }
            Assert.assertFalse(a.contentEquals(batch), "eight samples cannot all be left in place by chance");
        }
    }

    @Test
    public void sharedGeneratorRepeatsAfterTheEngineIsReseeded() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray batch = manager.arange(8f * 12 * 12).reshape(new Shape(8, 1, 12, 12));
            RandomShiftFlip shared = new RandomShiftFlip(2);
            manager.getEngine().setRandomSeed(17);
            NDArray first = shared.transform(batch);
            NDArray second = shared.transform(batch);
            // a resumed epoch: the checkpoint reseeds the engine with the same value at the epoch's start
            manager.getEngine().setRandomSeed(17);
            Assert.assertEquals(shared.transform(batch).toFloatArray(), first.toFloatArray());
            Assert.assertFalse(first.contentEquals(second), "successive batches must draw anew");
        }
    }

    @Test
    public void syntheticDataIsDeterministicAndBalanced() throws java.io.IOException {
        try (NDManager manager = NDManager.newBaseManager()) {
            DataSplits one = SyntheticImages.builder().optSeed(3).build(manager);
            DataSplits two = SyntheticImages.builder().optSeed(3).build(manager);
            Assert.assertEquals(one.train().size(), 512);
            Assert.assertEquals(
                    one.train().get(manager, 5).getData().head().toFloatArray(),
                    two.train().get(manager, 5).getData().head().toFloatArray());
            Assert.assertEquals(one.train().get(manager, 13).getLabels().head().getFloat(), 3f);
            Assert.assertEquals(one.batchShape(32), new Shape(32, 1, 28, 28));
        }
    }
}
