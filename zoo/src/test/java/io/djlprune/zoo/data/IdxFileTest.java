package io.djlprune.zoo.data;

import ai.djl.ndarray.NDManager;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.testng.Assert;
import org.testng.annotations.Test;

/** Missing and corrupt files give one clear error naming the file and the remedy. */
public class IdxFileTest {

    @Test
    public void readsAWellFormedFile() throws IOException {
        Path dir = Files.createTempDirectory("idx");
        Path file = dir.resolve("labels.gz");
        writeIdx(file, 0x00000801, new int[] {3}, new byte[] {1, 2, 3}, 0);
        IdxFile idx = IdxFile.read(file, 1, "remedy");
        Assert.assertEquals(idx.count(), 3);
        Assert.assertEquals(idx.data(), new byte[] {1, 2, 3});
    }

    @Test
    public void missingDirectoryNamesTheFileAndThePackage() throws IOException {
        Path dir = Files.createTempDirectory("empty").resolve("nope");
        try (NDManager manager = NDManager.newBaseManager()) {
            DataUnavailableException e =
                    Assert.expectThrows(
                            DataUnavailableException.class,
                            () -> FashionMnist.builder().optDirectory(dir).build(manager));
            Assert.assertTrue(e.getMessage().contains(dir.resolve(FashionMnist.TRAIN_IMAGES).toString()), e.getMessage());
            Assert.assertTrue(e.getMessage().contains("dataset-fashion-mnist"), e.getMessage());
            Assert.assertTrue(e.getMessage().contains("--data-dir"), e.getMessage());
        }
    }

    @Test
    public void truncatedFileIsReportedAsTruncated() throws IOException {
        Path file = Files.createTempDirectory("idx").resolve("images.gz");
        writeIdx(file, 0x00000803, new int[] {2, 28, 28}, new byte[100], 0);
        DataUnavailableException e =
                Assert.expectThrows(DataUnavailableException.class, () -> IdxFile.read(file, 3, "get it again"));
        Assert.assertTrue(e.getMessage().contains("truncated") && e.getMessage().contains(file.toString()), e.getMessage());
        Assert.assertTrue(e.getMessage().endsWith("get it again"), e.getMessage());
    }

    @Test
    public void wrongMagicIsCorrupt() throws IOException {
        Path file = Files.createTempDirectory("idx").resolve("labels.gz");
        writeIdx(file, 0x00000803, new int[] {1, 1, 1}, new byte[1], 0);
        DataUnavailableException e =
                Assert.expectThrows(DataUnavailableException.class, () -> IdxFile.read(file, 1, "r"));
        Assert.assertTrue(e.getMessage().contains("corrupt"), e.getMessage());
    }

    @Test
    public void trailingBytesAreCorrupt() throws IOException {
        Path file = Files.createTempDirectory("idx").resolve("labels.gz");
        writeIdx(file, 0x00000801, new int[] {2}, new byte[] {1, 2}, 5);
        DataUnavailableException e =
                Assert.expectThrows(DataUnavailableException.class, () -> IdxFile.read(file, 1, "r"));
        Assert.assertTrue(e.getMessage().contains("after the 2 announced"), e.getMessage());
    }

    @Test
    public void notGzipIsReported() throws IOException {
        Path file = Files.createTempDirectory("idx").resolve("labels.gz");
        Files.write(file, new byte[] {0, 0, 8, 1, 0, 0, 0, 1, 4});
        DataUnavailableException e =
                Assert.expectThrows(DataUnavailableException.class, () -> IdxFile.read(file, 1, "r"));
        Assert.assertTrue(e.getMessage().contains("not a valid gzip file"), e.getMessage());
    }

    private static void writeIdx(Path file, int magic, int[] dims, byte[] data, int extra) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(magic);
            for (int d : dims) {
                out.writeInt(d);
            }
            out.write(data);
            out.write(new byte[extra]);
        }
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
            out.write(bytes.toByteArray());
        }
    }
}
