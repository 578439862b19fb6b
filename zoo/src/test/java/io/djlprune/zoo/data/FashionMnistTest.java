package io.djlprune.zoo.data;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.dataset.Batch;
import ai.djl.training.dataset.Record;
import ai.djl.translate.TranslateException;
import io.djlprune.data.DataSplits;
import java.io.IOException;
import java.nio.file.Files;
import java.util.HashSet;
import java.util.Set;
import org.testng.Assert;
import org.testng.annotations.AfterClass;
import org.testng.annotations.BeforeClass;
import org.testng.annotations.Test;

/** The real Fashion-MNIST files, as the Debian package installs them (.ci/run installs it when missing). */
public class FashionMnistTest {

    private NDManager manager;
    private DataSplits splits;

    @BeforeClass
    public void load() throws IOException {
        Assert.assertTrue(
                Files.isDirectory(FashionMnist.DEFAULT_DIRECTORY),
                "Fashion-MNIST is missing: install the Debian package dataset-fashion-mnist (see README)");
        manager = NDManager.newBaseManager();
        splits = FashionMnist.builder().optBatchSize(100).build(manager);
    }

    @AfterClass
    public void close() {
        manager.close();
    }

    @Test
    public void splitSizesAre54k6k10k() {
        Assert.assertEquals(splits.train().size(), 54_000);
        Assert.assertEquals(splits.validation().size(), 6_000);
        Assert.assertEquals(splits.test().size(), 10_000);
        Assert.assertEquals(splits.classes(), 10);
        Assert.assertEquals(splits.sampleShape(), new Shape(1, 28, 28));
    }

    @Test
    public void batchesAreNormalisedNchwWithLabelsInRange() throws IOException, TranslateException {
        int batches = 0;
        long samples = 0;
        int[] perClass = new int[10];
        for (Batch batch : splits.test().getData(manager)) {
            try (batch) {
                NDArray data = batch.getData().head();
                NDArray labels = batch.getLabels().head();
                Assert.assertEquals(data.getShape(), new Shape(100, 1, 28, 28));
                float min = data.min().getFloat();
                float max = data.max().getFloat();
                // pixel 0 → −mean/std ≈ −0.81, pixel 255 → (1 − mean)/std ≈ 2.02
                Assert.assertEquals(min, -FashionMnist.MEAN / FashionMnist.STD, 1e-4);
                Assert.assertTrue(max <= (1 - FashionMnist.MEAN) / FashionMnist.STD + 1e-4, "max " + max);
                for (float label : labels.toFloatArray()) {
                    Assert.assertTrue(label >= 0 && label <= 9 && label == Math.rint(label), "label " + label);
                    perClass[(int) label]++;
                }
                samples += data.getShape().get(0);
                batches++;
            }
        }
        Assert.assertEquals(batches, 100);
        Assert.assertEquals(samples, 10_000);
        for (int count : perClass) {
            Assert.assertEquals(count, 1_000, "the test set has 1,000 images of each class");
        }
    }

    @Test
    public void trainingSetMeanMatchesTheNormalisationConstants() throws IOException {
        Record record;
        double sum = 0;
        int n = 2_000;
        for (int i = 0; i < n; i++) {
            record = splits.train().get(manager, i);
            try (NDArray raw = record.getData().head()) {
                sum += raw.toType(ai.djl.ndarray.types.DataType.FLOAT32, false).mean().getFloat() / 255.0;
            }
        }
        Assert.assertEquals(sum / n, FashionMnist.MEAN, 0.01);
    }

    @Test
    public void splitIsDisjointCompleteAndDeterministic() {
        SplitIndices first = SplitIndices.of(60_000, 6_000, 42);
        SplitIndices again = SplitIndices.of(60_000, 6_000, 42);
        SplitIndices other = SplitIndices.of(60_000, 6_000, 43);
        Assert.assertEquals(again.train(), first.train());
        Assert.assertEquals(again.validation(), first.validation());
        Assert.assertNotEquals(other.validation(), first.validation());
        Set<Integer> seen = new HashSet<>();
        for (int i : first.train()) {
            seen.add(i);
        }
        for (int i : first.validation()) {
            Assert.assertTrue(seen.add(i), "index " + i + " is in both parts");
        }
        Assert.assertEquals(seen.size(), 60_000);
    }

    @Test
    public void sameSeedGivesTheSameValidationImages() throws IOException {
        try (NDManager other = NDManager.newBaseManager()) {
            DataSplits again = FashionMnist.builder().optBatchSize(100).build(other);
            for (int i : new int[] {0, 17, 5_999}) {
                Record a = splits.validation().get(manager, i);
                Record b = again.validation().get(other, i);
                Assert.assertEquals(b.getData().head().toByteArray(), a.getData().head().toByteArray());
                Assert.assertEquals(b.getLabels().head().getFloat(), a.getLabels().head().getFloat());
            }
        }
    }
}
