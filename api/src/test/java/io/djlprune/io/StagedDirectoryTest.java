package io.djlprune.io;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
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
    public void stoppedJvmLeavesNothing() throws Exception {
        Path parent = Files.createTempDirectory("staged");
        Path target = parent.resolve("run");
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process child =
                new ProcessBuilder(
                                java.toString(),
                                "-cp",
                                System.getProperty("java.class.path"),
                                WritesUntilStopped.class.getName(),
                                target.toString())
                        .redirectErrorStream(true)
                        .start();
        try (BufferedReader out =
                new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            String staging = out.readLine();
            Assert.assertNotNull(staging, "the child printed nothing");
            Assert.assertTrue(Files.isRegularFile(Path.of(staging, "partial.bin")), staging);
            child.destroy(); // SIGTERM, as Ctrl-C or a scheduler's stop
            Assert.assertTrue(child.waitFor(30, TimeUnit.SECONDS), "the child did not stop");
        } finally {
            child.destroyForcibly();
        }
        Assert.assertFalse(Files.exists(target));
        assertNoStagingLeft(parent);
    }

    /** A run that stages some output and then waits to be stopped. */
    public static final class WritesUntilStopped {
        public static void main(String[] args) throws Exception {
            StagedDirectory out = StagedDirectory.create(Path.of(args[0]), false);
            Files.writeString(out.path().resolve("partial.bin"), "x");
            System.out.println(out.path());
            System.out.flush();
            Thread.sleep(60_000);
        }
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
