package io.djlprune.zoo.data;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.dataset.Batch;
import io.djlprune.data.DataSplits;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import javax.imageio.ImageIO;
import org.testng.Assert;
import org.testng.annotations.AfterClass;
import org.testng.annotations.BeforeClass;
import org.testng.annotations.Test;

/** Image folders: layout, class order, splits, lazy decoding, transforms and every refused folder. */
public class ImageFolderDataTest {

    private Path root;

    @BeforeClass
    public void makeRoot() throws IOException {
        root = Files.createTempDirectory("image-folder-test");
    }

    @AfterClass(alwaysRun = true)
    public void deleteRoot() throws IOException {
        try (var walk = Files.walk(root)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    /** Writes {@code count} random RGB PNGs of varying size into {@code dir/split/<class>/}. */
    private static void images(Path dir, String split, String cls, int count, long seed) throws IOException {
        Path folder = Files.createDirectories(dir.resolve(split).resolve(cls));
        Random random = new Random(seed);
        for (int i = 0; i < count; i++) {
            BufferedImage image =
                    new BufferedImage(20 + random.nextInt(30), 20 + random.nextInt(30), BufferedImage.TYPE_INT_RGB);
            for (int y = 0; y < image.getHeight(); y++) {
                for (int x = 0; x < image.getWidth(); x++) {
                    image.setRGB(x, y, random.nextInt(1 << 24));
                }
            }
            ImageIO.write(image, "png", folder.resolve(String.format("%03d.png", i)).toFile());
        }
    }

    private Path folder(String name) throws IOException {
        return Files.createDirectory(root.resolve(name));
    }

    private static DataSplits build(Path dir) throws DataUnavailableException {
        return ImageFolderData.builder().setDirectory(dir).optImageSize(16).optResize(18).optBatchSize(4).build();
    }

    private static void assertRefused(Path dir, String... expected) {
        DataUnavailableException e = Assert.expectThrows(DataUnavailableException.class, () -> build(dir));
        for (String text : expected) {
            Assert.assertTrue(e.getMessage().contains(text), "expected '" + text + "' in: " + e.getMessage());
        }
    }

    @Test
    public void classesAreSortedFolderNamesAndSplitsFollowTheLayout() throws IOException, Exception {
        Path dir = folder("layout");
        for (String cls : new String[] {"b", "a", "C"}) {
            images(dir, "train", cls, 10, cls.hashCode());
            images(dir, "test", cls, 2, cls.hashCode() + 1);
        }
        Files.writeString(dir.resolve("train").resolve("a").resolve("notes.txt"), "not an image, ignored");
        DataSplits splits = build(dir);
        // Python's sorted(): by code point, upper case first
        Assert.assertEquals(splits.classNames(), List.of("C", "a", "b"));
        Assert.assertEquals(splits.classes(), 3);
        Assert.assertEquals(splits.sampleShape().getShape(), new long[] {3, 16, 16});
        // no val/: 10 % of the 30 training images held out, seeded
        Assert.assertEquals(splits.validation().size(), 3);
        Assert.assertEquals(splits.train().size(), 27);
        Assert.assertTrue(splits.hasTest());
        Assert.assertEquals(splits.test().size(), 6);
        try (NDManager manager = NDManager.newBaseManager()) {
            long seen = 0;
            int[] perClass = new int[3];
            for (Batch batch : splits.test().getData(manager)) {
                try (batch) {
                    NDArray x = batch.getData().singletonOrThrow();
                    Assert.assertEquals(x.getShape().getShape(), new long[] {x.getShape().get(0), 3, 16, 16});
                    for (float label : batch.getLabels().singletonOrThrow().toFloatArray()) {
                        perClass[(int) label]++;
                    }
                    seen += x.getShape().get(0);
                }
            }
            Assert.assertEquals(seen, 6);
            Assert.assertEquals(perClass, new int[] {2, 2, 2});
        }
        ImageFolderDataset test = (ImageFolderDataset) splits.test();
        Assert.assertTrue(test.file(0).toString().contains("/test/C/"), test.file(0).toString());
    }

    @Test
    public void withoutTestFolderThereIsNoTestSet() throws IOException, Exception {
        Path dir = folder("no-test");
        images(dir, "train", "x", 5, 1);
        images(dir, "train", "y", 5, 2);
        images(dir, "val", "x", 2, 3);
        images(dir, "val", "y", 2, 4);
        DataSplits splits = build(dir);
        Assert.assertFalse(splits.hasTest());
        Assert.assertNull(splits.test());
        Assert.assertEquals(splits.train().size(), 10);
        Assert.assertEquals(splits.validation().size(), 4);
    }

    @Test
    public void limitSamplesEveryClass() throws IOException {
        Path dir = folder("limit");
        images(dir, "train", "x", 20, 1);
        images(dir, "train", "y", 20, 2);
        DataSplits splits = ImageFolderData.builder().setDirectory(dir).optImageSize(16).optLimit(10).build();
        Assert.assertEquals(splits.train().size(), 10);
        ImageFolderDataset train = (ImageFolderDataset) splits.train();
        boolean x = false;
        boolean y = false;
        for (int i = 0; i < 10; i++) {
            x |= train.file(i).getParent().getFileName().toString().equals("x");
            y |= train.file(i).getParent().getFileName().toString().equals("y");
        }
        Assert.assertTrue(x && y, "a limited sample still holds both classes");
    }

    @Test
    public void missingTrainFolderIsRefused() throws IOException {
        Path dir = folder("no-train");
        images(dir, "val", "x", 2, 1);
        assertRefused(dir, dir.toString(), "has no train/ folder");
    }

    @Test
    public void folderWithoutClassesIsRefused() throws IOException {
        Path dir = folder("no-classes");
        Files.createDirectories(dir.resolve("train"));
        Files.writeString(dir.resolve("train").resolve("loose.png"), "x");
        assertRefused(dir, dir.resolve("train").toString(), "has no class folders");
    }

    @Test
    public void emptyClassIsRefused() throws IOException {
        Path dir = folder("empty-class");
        images(dir, "train", "x", 3, 1);
        Files.createDirectories(dir.resolve("train").resolve("y"));
        Files.writeString(dir.resolve("train").resolve("y").resolve("readme.txt"), "no images here");
        assertRefused(dir, dir.resolve("train").resolve("y").toString(), "holds no image");
    }

    @Test
    public void corruptImageIsRefusedBeforeTraining() throws IOException {
        Path dir = folder("corrupt");
        images(dir, "train", "x", 3, 1);
        images(dir, "train", "y", 3, 2);
        Path bad = dir.resolve("train").resolve("y").resolve("bad.png");
        byte[] noise = new byte[200];
        new Random(5).nextBytes(noise);
        Files.write(bad, noise);
        assertRefused(dir, bad.toString(), "corrupt");
    }

    @Test
    public void imageImageIoCannotDecodeIsRefused() throws IOException {
        Path dir = folder("webp");
        images(dir, "train", "x", 3, 1);
        images(dir, "train", "y", 3, 2);
        Path webp = dir.resolve("train").resolve("x").resolve("photo.WEBP");
        Files.write(webp, new byte[] {1, 2, 3});
        assertRefused(dir, webp.toString(), "cannot decode");
    }

    @Test
    public void truncatedImageIsRefusedWhenItsBatchIsRead() throws IOException, Exception {
        Path dir = folder("truncated");
        images(dir, "train", "x", 3, 1);
        images(dir, "train", "y", 3, 2);
        images(dir, "test", "x", 1, 3);
        images(dir, "test", "y", 1, 4);
        Path cut = dir.resolve("test").resolve("y").resolve("000.png");
        byte[] whole = Files.readAllBytes(cut);
        Files.write(cut, Arrays.copyOf(whole, 60)); // the header survives, the pixels do not
        DataSplits splits = build(dir);
        try (NDManager manager = NDManager.newBaseManager()) {
            DataUnavailableException e = Assert.expectThrows(DataUnavailableException.class,
                    () -> splits.test().get(manager, 1));
            Assert.assertTrue(e.getMessage().contains(cut.toString()), e.getMessage());
        }
    }

    @Test
    public void splitsWithOtherClassesAreRefused() throws IOException {
        Path dir = folder("other-classes");
        images(dir, "train", "x", 3, 1);
        images(dir, "train", "y", 3, 2);
        images(dir, "test", "x", 1, 3);
        images(dir, "test", "z", 1, 4);
        assertRefused(dir, dir.resolve("test").toString(), "missing [y]", "extra [z]");
    }

    @Test
    public void augmentationCropsToTheSizeAndRepeatsWithItsSeed() {
        byte[] pixels = new byte[50 * 30 * 3];
        new Random(1).nextBytes(pixels);
        RgbImage image = new RgbImage(50, 30, pixels);
        float[] mean = {0.5f, 0.5f, 0.5f};
        float[] std = {0.25f, 0.25f, 0.25f};
        FolderImageTransform first = FolderImageTransform.augmenting(16, mean, std, 3);
        FolderImageTransform again = FolderImageTransform.augmenting(16, mean, std, 3);
        float[] a = first.apply(image);
        Assert.assertEquals(a.length, 3 * 16 * 16);
        Assert.assertEquals(again.apply(image), a, "the same seed draws the same crop and flip");
        boolean differs = false;
        for (int i = 0; i < 5 && !differs; i++) {
            differs = !Arrays.equals(first.apply(image), a);
        }
        Assert.assertTrue(differs, "later draws crop elsewhere");
    }

    @Test
    public void evaluationTransformResizesShorterSideThenCropsTheCentre() {
        // a 40×20 image whose left half is black and right half white
        byte[] pixels = new byte[40 * 20 * 3];
        for (int y = 0; y < 20; y++) {
            for (int x = 20; x < 40; x++) {
                Arrays.fill(pixels, (y * 40 + x) * 3, (y * 40 + x) * 3 + 3, (byte) 255);
            }
        }
        RgbImage image = new RgbImage(40, 20, pixels);
        RgbImage resized = FolderImageTransform.resizeShorterSide(image, 10);
        Assert.assertEquals(resized.width(), 20);
        Assert.assertEquals(resized.height(), 10);
        Assert.assertSame(PillowBilinear.resize(image, 40, 20), image, "same size: unchanged, as Pillow copies it");
        RgbImage cropped = FolderImageTransform.centerCrop(resized, 10);
        Assert.assertEquals(cropped.width(), 10);
        // the left column is black, the right white, the edge between them blends
        Assert.assertEquals(cropped.pixels()[0] & 0xFF, 0);
        Assert.assertEquals(cropped.pixels()[9 * 3] & 0xFF, 255);
        float[] chw = FolderImageTransform.evaluation(10, 10, new float[] {0.5f, 0.5f, 0.5f},
                new float[] {0.5f, 0.5f, 0.5f}).apply(image);
        Assert.assertEquals(chw.length, 3 * 10 * 10);
        Assert.assertEquals(chw[0], -1f);
        Assert.assertEquals(chw[9], 1f);
    }
}
