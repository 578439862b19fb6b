package io.djlprune.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.testng.Assert;
import org.testng.annotations.Test;

/** Output appears whole or not at all, and what was there before is never lost by a failed run. */
public class StagedDirectoryTest {

    @Test
    public void committedOutputAppearsAtTheTarget() throws IOException {
        Path target = Files.createTempDirectory("staged").resolve("run");
        try (StagedDirectory out = StagedDirectory.create(target, false)) {
            Files.writeString(out.path().resolve("a.json"), "{}");
            Assert.assertFalse(Files.exists(target), "nothing at the target before commit");
            out.commit();
        }
        Assert.assertEquals(Files.readString(target.resolve("a.json")), "{}");
        assertNoStagingLeft(target.getParent());
    }

    @Test
    public void uncommittedOutputLeavesNothing() throws IOException {
        Path parent = Files.createTempDirectory("staged");
        Path target = parent.resolve("run");
        try (StagedDirectory out = StagedDirectory.create(target, false)) {
            Files.writeString(out.path().resolve("partial.bin"), "x");
        }
        Assert.assertFalse(Files.exists(target));
        assertNoStagingLeft(parent);
    }

    @Test
    public void nonEmptyTargetIsRefusedUnlessOverwriting() throws IOException {
        Path target = Files.createTempDirectory("staged");
        Files.writeString(target.resolve("old.json"), "old");
        Files.writeString(target.resolve("keep.txt"), "keep");
        IOException e = Assert.expectThrows(IOException.class, () -> StagedDirectory.create(target, false));
        Assert.assertTrue(e.getMessage().contains("is not empty"), e.getMessage());
        try (StagedDirectory out = StagedDirectory.create(target, true)) {
            Files.writeString(out.path().resolve("old.json"), "new");
            out.commit();
        }
        Assert.assertEquals(Files.readString(target.resolve("old.json")), "new");
        Assert.assertEquals(Files.readString(target.resolve("keep.txt")), "keep");
    }

    @Test
    public void unwritableParentFailsBeforeAnyWork() throws IOException {
        Path file = Files.createTempFile("staged", ".txt");
        IOException e = Assert.expectThrows(IOException.class, () -> StagedDirectory.create(file.resolve("run"), false));
        Assert.assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
        IOException notDir = Assert.expectThrows(IOException.class, () -> StagedDirectory.create(file, true));
        Assert.assertTrue(notDir.getMessage().contains("not a directory"), notDir.getMessage());
    }

    private static void assertNoStagingLeft(Path parent) throws IOException {
        try (Stream<Path> entries = Files.list(parent)) {
            Assert.assertTrue(
                    entries.noneMatch(p -> p.getFileName().toString().contains(".partial-")),
                    "a staging folder was left in " + parent);
        }
    }
}
